import type { ProposalFilter, ProposalKind, Urgency } from "../api";

/** The most proposals the grid asks for; the engine lists the most urgent first. */
export const PROPOSAL_LIMIT = 5000;

/** The filters as the planner types them; blank means "any". */
export type ProposalFilters = {
  location: string;
  supplier: string;
  urgency: Urgency | "";
  kind: ProposalKind | "";
  sku: string;
};

export const initialFilters: ProposalFilters = {
  location: "",
  supplier: "",
  urgency: "",
  kind: "",
  sku: "",
};

const orNull = (text: string) => (text.trim() === "" ? null : text.trim());

/** Open proposals (the engine's default status) narrowed by what the planner chose. */
export function toProposalFilter(filters: ProposalFilters): ProposalFilter {
  return {
    status: null,
    kind: filters.kind || null,
    urgency: filters.urgency || null,
    location: orNull(filters.location),
    supplier: orNull(filters.supplier),
    sku: orNull(filters.sku),
    limit: PROPOSAL_LIMIT,
  };
}
