import { useMutation, useQueryClient } from "@tanstack/react-query";
import { stockQueries } from "./client";

/**
 * A command that changes orders or stock. On success every view that may now be stale
 * (orders, exceptions, availability, inventory) is refetched in the background.
 */
export function useStockCommand<Args, Result>(run: (args: Args) => Promise<Result>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => {
      for (const queryKey of stockQueries) void client.invalidateQueries({ queryKey });
    },
  });
}
