import { KnownRoutes } from './known-routes.js';

describe('KnownRoutes', () => {
  const routes = new KnownRoutes();
  routes.add('GET', '/api/v1/tron/staking/:staking_id');
  routes.add('POST', '/api/v1/tron/staking/stake');
  routes.add(['GET', 'POST'], '/api/v1/users');
  routes.add('DELETE', '/api/v1/users/:id');
  routes.add('GET', '/static/*');

  it('answers the methods of the most specific matching route', () => {
    expect(routes.allowedMethods('/api/v1/tron/staking/stake')).toEqual(['POST']);
    expect(routes.allowedMethods('/api/v1/tron/staking/0123abcd')).toEqual(['GET', 'HEAD']);
    expect(routes.allowedMethods('/api/v1/users?skip=1')).toEqual(['GET', 'HEAD', 'POST']);
    expect(routes.allowedMethods('/api/v1/users/')).toEqual(['GET', 'HEAD', 'POST']);
    expect(routes.allowedMethods('/static/a/b.js')).toEqual(['GET', 'HEAD']);
  });

  it('knows nothing of paths no route has', () => {
    expect(routes.allowedMethods('/api/v1/users/1/extra')).toEqual([]);
    expect(routes.allowedMethods('/api/v2/users')).toEqual([]);
  });
});
