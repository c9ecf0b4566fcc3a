/** A PROM request the pathway waits on: the outstanding one, or a closed-loop follow-up. */
export interface AwaitedRequest {
  requestId?: string;
  /** The instruments asked for (the outstanding request); a follow-up asks for ESAS-r. */
  instruments?: readonly string[];
}

/**
 * Whether a response answers a request (revision 4). A response that names its request answers
 * that one only; one that names none (a paper form keyed in, an older patient app) answers a request
 * for its instrument. Matching by arrival — any response clearing whatever was pending — lost the
 * closed loop when a Distress Thermometer came in between (docs/clinical-rules.md 2.2, 2.10a).
 */
export function answersRequest(response: { data: { requestId?: string; instrument: string } }, request: AwaitedRequest | undefined): boolean {
  if (!request) return false;
  const { requestId, instrument } = response.data;
  if (requestId !== undefined && request.requestId !== undefined) return requestId === request.requestId;
  return (request.instruments ?? ['ESAS-r']).includes(instrument);
}
