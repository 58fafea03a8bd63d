import type { IDatasource } from "ag-grid-community";
import type { Api, LocationKind } from "../api";

export type PositionFilters = { search: string; location: string; kind: LocationKind | "" };

/**
 * AG Grid infinite-row-model datasource over positions_page: each block asks
 * for offset = startRow, limit = endRow - startRow; the total becomes lastRow.
 */
export function positionsDatasource(
  fetchPage: Api["positionsPage"],
  filters: PositionFilters,
  onError: (error: unknown) => void,
  onTotal?: (total: number) => void,
): IDatasource {
  return {
    getRows(params) {
      const query = {
        search: filters.search.trim() || null,
        location: filters.location || null,
        location_kind: filters.kind || null,
        offset: params.startRow,
        limit: params.endRow - params.startRow,
      };
      fetchPage(query).then(
        (page) => {
          onTotal?.(page.total);
          params.successCallback(page.rows, page.total);
        },
        (error: unknown) => {
          onError(error);
          params.failCallback();
        },
      );
    },
  };
}
