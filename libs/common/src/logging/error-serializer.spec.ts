import { maskSensitive } from '../security/sensitive-fields.js';
import { serializeError, serializeErrorsDeep } from './error-serializer.js';

const KEY = 'k-0123456789abcdef';

/** The shape of an axios error as tronweb's HTTP client throws it. */
function axiosLikeError(): Error {
  const e = new Error('Request failed with status code 401') as Error & Record<string, unknown>;
  e.name = 'AxiosError';
  e.code = 'ERR_BAD_REQUEST';
  e.config = {
    method: 'post',
    url: 'https://api.trongrid.io/wallet/getaccount?apikey=' + KEY,
    headers: { 'TRON-PRO-API-KEY': KEY, 'Content-Type': 'application/json' },
    data: '{"address":"T…"}',
  };
  e.request = { _header: `POST /wallet/getaccount HTTP/1.1\r\nTRON-PRO-API-KEY: ${KEY}` };
  e.response = { status: 401, headers: { 'x-echo': KEY }, data: { Error: KEY } };
  return e;
}

describe('error serializer', () => {
  it('keeps type, message, code, status, method and path; drops config, headers, request and body', () => {
    const out = serializeError(axiosLikeError());
    expect(out).toMatchObject({
      type: 'AxiosError',
      message: 'Request failed with status code 401',
      code: 'ERR_BAD_REQUEST',
      status: 401,
      method: 'POST',
      path: '/wallet/getaccount',
    });
    expect(JSON.stringify(out)).not.toContain(KEY);
  });

  it('reaches errors at any depth of a log object, and causes', () => {
    const wrapped = new Error('outer', { cause: axiosLikeError() });
    const line = serializeErrorsDeep({ job: 'x', nested: { list: [{ err: wrapped }] } });
    expect(JSON.stringify(line)).not.toContain(KEY);
    expect(JSON.stringify(line)).toContain('/wallet/getaccount');
  });

  it('masks the API key header at any depth and in any case when it is not inside an error', () => {
    const masked = maskSensitive({ a: { b: { c: { 'tron-pro-api-key': KEY } } } });
    expect(JSON.stringify(masked)).not.toContain(KEY);
  });
});
