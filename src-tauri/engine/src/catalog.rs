//! The product catalogue: SKUs with their base unit. Quantities everywhere else are
//! integers in that unit.

use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::PgPool;

use crate::error::{Result, StorageContext};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, sqlx::FromRow)]
pub struct Product {
    pub sku: String,
    pub description: String,
    pub base_unit: String,
}

/// A search result: the product with its network-wide stock.
#[derive(Debug, Clone, Serialize, Type, sqlx::FromRow)]
pub struct ProductHit {
    pub sku: String,
    pub description: String,
    pub on_hand: i64,
    pub available: i64,
}

pub async fn upsert(pool: &PgPool, products: &[Product]) -> Result<()> {
    let skus: Vec<&str> = products.iter().map(|p| p.sku.as_str()).collect();
    let descriptions: Vec<&str> = products.iter().map(|p| p.description.as_str()).collect();
    let units: Vec<&str> = products.iter().map(|p| p.base_unit.as_str()).collect();
    sqlx::query(
        "INSERT INTO products (sku, description, base_unit)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
         ON CONFLICT (sku) DO UPDATE SET description = excluded.description",
    )
    .bind(&skus)
    .bind(&descriptions)
    .bind(&units)
    .execute(pool)
    .await
    .context("saving products")?;
    Ok(())
}

pub async fn get(pool: &PgPool, sku: &str) -> Result<Option<Product>> {
    sqlx::query_as::<_, Product>("SELECT sku, description, base_unit FROM products WHERE sku = $1")
        .bind(sku)
        .fetch_optional(pool)
        .await
        .context(format!("reading product {sku}"))
}

/// SKUs starting with the text, or descriptions containing it; exact SKU first.
pub async fn search(pool: &PgPool, text: &str, limit: u32) -> Result<Vec<ProductHit>> {
    sqlx::query_as::<_, ProductHit>(
        "SELECT pr.sku, pr.description,
                coalesce(sum(p.on_hand), 0)::bigint AS on_hand,
                coalesce(sum(p.available), 0)::bigint AS available
         FROM products pr LEFT JOIN positions p ON p.sku = pr.sku
         WHERE pr.sku ILIKE $1 || '%' OR pr.description ILIKE '%' || $1 || '%'
         GROUP BY pr.sku, pr.description
         ORDER BY (upper(pr.sku) = upper($1)) DESC, pr.sku
         LIMIT $2",
    )
    .bind(text.trim())
    .bind(i64::from(limit.clamp(1, 500)))
    .fetch_all(pool)
    .await
    .context(format!("searching products for '{text}'"))
}
