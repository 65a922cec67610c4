import type { FastifyInstance } from 'fastify';

/**
 * What a person who opens the service's address sees until the web console ships: what is running
 * and where the machine-readable surfaces are. It shows no partner data, so it needs no session.
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>psa-bridge</title>
<style>
body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
code{background:#f1f1f1;padding:0 .25rem;border-radius:3px;overflow-wrap:anywhere}
a{color:#0b57d0}
</style>
</head>
<body>
<main>
<h1>psa-bridge is running</h1>
<p>The service connects the email-security platform to ConnectWise PSA. Its web console and setup
wizard are not part of this build yet; everything they will use is already served as an API.</p>
<h2>Where to go</h2>
<ul>
<li><a href="/api/openapi.json">OpenAPI document</a> of the console and platform APIs
(console login: <code>POST /api/v1/auth/login</code>)</li>
<li><a href="/healthz">Liveness</a> and <a href="/readyz">readiness</a> checks</li>
<li><a href="/metrics">Prometheus metrics</a></li>
</ul>
<p>In demo mode the terminal that started the service printed the demo logins, the platform API
token and the ConnectWise sandbox (the simulator, whose own page shows what ConnectWise holds).</p>
</main>
</body>
</html>
`;

export async function landingRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(PAGE),
  );
}
