// Runs before every test file. Tests must never reach beyond loopback; fail loudly if a proxy
// variable would send our HTTP clients elsewhere.
for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) {
  delete process.env[name];
}
process.env['NODE_ENV'] ??= 'test';
