/**
 * The wallet API paths the gateway calls, as the `endpoint` label of the node-call metrics: a
 * fixed list (bounded cardinality). `solidity_` marks the /walletsolidity twin of a path;
 * anything not named here is counted as `other`.
 */
export const NODE_ENDPOINTS = [
  'getaccount',
  'getaccountresource',
  'getchainparameters',
  'getcandelegatedmaxsize',
  'getdelegatedresourcev2',
  'getdelegatedresourceaccountindexv2',
  'listwitnesses',
  'getbrokerage',
  'getreward',
  'getnextmaintenancetime',
  'getnowblock',
  'solidity_getnowblock',
  'gettransactioninfobyid',
  'solidity_gettransactioninfobyid',
  'freezebalancev2',
  'unfreezebalancev2',
  'withdrawexpireunfreeze',
  'cancelallunfreezev2',
  'withdrawbalance',
  'votewitnessaccount',
  'delegateresource',
  'undelegateresource',
  'createaccount',
  'broadcasttransaction',
  'other',
] as const;
export type NodeEndpoint = (typeof NODE_ENDPOINTS)[number];

const KNOWN = new Set<string>(NODE_ENDPOINTS);

/** The label of a call: its own name when it is on the list, `other` when it is not. */
export function nodeEndpointLabel(endpoint: string | undefined): NodeEndpoint {
  return endpoint && KNOWN.has(endpoint) ? (endpoint as NodeEndpoint) : 'other';
}
