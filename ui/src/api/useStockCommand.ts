import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { stockQueries } from "./client";

/**
 * A command that changes orders or stock. On success every view that may now be stale
 * (orders, exceptions, availability, inventory, transfers, purchase orders) is refetched
 * in the background, with any `also` prefixes the command makes stale besides.
 */
export function useStockCommand<Args, Result>(
  run: (args: Args) => Promise<Result>,
  also: readonly QueryKey[] = [],
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => {
      for (const queryKey of [...stockQueries, ...also]) {
        void client.invalidateQueries({ queryKey });
      }
    },
  });
}
