// A hand-written SDK-HMAC-SHA256 signer on node:crypto: what a developer who needs one request
// signed writes by hand, with nothing general. The floor that the benchmarks compare ours with.
import { createHash, createHmac } from 'node:crypto';

const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Signs a GET of `href` in place of `headers`: X-Sdk-Date, X-Project-Id, Authorization. */
export function signByHand(href, headers, { accessKey, secretKey, projectId }) {
  const url = new URL(href);
  const date = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  headers.set('X-Sdk-Date', date);
  headers.set('X-Project-Id', projectId);
  const query = [...url.searchParams]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const canonical = `GET\n${url.pathname}/\n${query}\nhost:${url.host}\nx-project-id:${projectId}\nx-sdk-date:${date}\n\nhost;x-project-id;x-sdk-date\n${EMPTY}`;
  const hash = createHash('sha256').update(canonical).digest('hex');
  const signature = createHmac('sha256', secretKey).update(`SDK-HMAC-SHA256\n${date}\n${hash}`).digest('hex');
  headers.set(
    'Authorization',
    `SDK-HMAC-SHA256 Access=${accessKey}, SignedHeaders=host;x-project-id;x-sdk-date, Signature=${signature}`,
  );
}
