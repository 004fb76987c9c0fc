/**
 * The HTTP status of a write's answer: 201 once the transaction is on its way (broadcast or
 * already confirmed), 202 while it waits (an unsigned transaction to sign, or a signed one the
 * tracker re-sends because the node was unreachable).
 */
export const writeAnswerStatus = (state: string): 201 | 202 =>
  state === 'broadcast' || state === 'confirmed' ? 201 : 202;
