/**
 * Suggested groups as the answers stand now (issue 22): an answer the facilitator has since
 * put in a group by hand leaves every proposal, and a proposal left with no answers goes.
 */
export function withoutGrouped<P extends { answerIds: readonly string[] }>(
  proposals: readonly P[],
  grouped: ReadonlySet<string>,
): P[] {
  return proposals
    .map((proposal) => ({
      ...proposal,
      answerIds: proposal.answerIds.filter((id) => !grouped.has(id)),
    }))
    .filter((proposal) => proposal.answerIds.length > 0);
}
