import { ErrorCode, StakingException, type StakingErrorCode } from '@app/common';

/**
 * A failure talking to the node (not a refusal by the chain's rules). `retryable` is false when
 * asking again cannot help: the node refused our credentials or has no such endpoint.
 */
export class NodeUnavailableError extends Error {
  constructor(
    readonly code: StakingErrorCode,
    message: string,
    readonly retryable = true,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'NodeUnavailableError';
  }
}

/** Maps transport failures (axios/tronweb errors) to our S9xx codes. */
export function classifyTransportError(error: unknown): NodeUnavailableError | null {
  const e = error as {
    code?: string;
    response?: { status?: number };
    message?: string;
    isAxiosError?: boolean;
  };
  if (!e || typeof e !== 'object') return null;
  const status = e.response?.status;
  if (status === 429)
    return new NodeUnavailableError(ErrorCode.TRON_RATE_LIMITED, 'node rate limit', true, status);
  if (status === 401 || status === 403)
    return new NodeUnavailableError(
      ErrorCode.TRON_CONFIG_INVALID,
      `node refused the service's credentials (HTTP ${status}): check TRON_API_KEY`,
      false,
      status,
    );
  if (status === 404)
    return new NodeUnavailableError(
      ErrorCode.TRON_CONFIG_INVALID,
      'node has no such endpoint (HTTP 404): check TRON_FULL_HOST',
      false,
      status,
    );
  if (status && status >= 500)
    return new NodeUnavailableError(
      ErrorCode.TRON_NODE_ERROR,
      `node answered HTTP ${status}`,
      true,
      status,
    );
  if (status && status >= 400)
    return new NodeUnavailableError(
      ErrorCode.TRON_NODE_ERROR,
      `node refused the request (HTTP ${status})`,
      false,
      status,
    );
  if (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT' || /timeout/i.test(e.message ?? '')) {
    return new NodeUnavailableError(ErrorCode.TRON_NODE_TIMEOUT, 'node timed out');
  }
  if (
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'EPIPE',
      'ENOTFOUND',
      'EAI_AGAIN',
      'ERR_NETWORK',
      'EHOSTUNREACH',
    ].includes(e.code ?? '') ||
    /socket hang up|network error/i.test(e.message ?? '')
  ) {
    return new NodeUnavailableError(ErrorCode.TRON_NETWORK_UNAVAILABLE, 'node unreachable');
  }
  return null;
}

export function toStakingException(error: NodeUnavailableError): StakingException {
  return new StakingException(error.code, undefined, {
    reason: error.message,
    ...(error.status ? { node_status: error.status } : {}),
  });
}
