import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy of every response. The web app is built by Vite
 * into files under /assets (no inline script, no eval), so scripts come from
 * this origin only. `data:` images are the QR code shown at authenticator
 * enrolment (an SVG data URL made in the page).
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'manifest-src': ["'self'"],
  'worker-src': ["'self'"],
} as const;

/**
 * Strict security headers on every response of either role, errors, 404s,
 * 429s and load-shedding 503s included: registered before any other hook, so
 * they are set before anything can answer.
 *
 * @fastify/helmet (the Fastify wrapper of helmet, both maintained) rather than
 * headers by hand: it keeps the set current (COOP, CORP, Origin-Agent-Cluster,
 * X-Permitted-Cross-Domain-Policies …) and serialises the CSP.
 */
export async function registerSecurityHeaders(app: FastifyInstance) {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    // browsers honour HSTS only over HTTPS, so it does no harm to a demo on http://localhost
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', async (req, reply) => {
    // the app uses none of these; a script injected despite the CSP gets none either
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
    // answers about people must not stay in a shared or proxy cache; a route may say otherwise
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
}
