/** A request path as its route's shape: patient and task ids replaced, so logs, labels and audit actions carry none. */
export function routeShape(originalUrl: string): string {
  const path = originalUrl.split('?')[0] ?? '';
  return path
    .replace(/^(\/api)?\/p\/[^/]+/, '$1/p/{token}')
    .replace(/\/patients\/[^/]+\//, '/patients/{patientId}/')
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}');
}
