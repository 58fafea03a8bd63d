type Pager = {
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
};

/** The "Load older" button under a list paged backwards with useInfiniteQuery. */
export function LoadOlder({ pages, testId }: { pages: Pager; testId: string }) {
  return (
    <button
      type="button"
      data-testid={testId}
      disabled={pages.isFetchingNextPage}
      onClick={() => pages.fetchNextPage()}
    >
      {pages.isFetchingNextPage ? "Loading…" : "Load older"}
    </button>
  );
}
