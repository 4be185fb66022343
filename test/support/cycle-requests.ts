/** JSON requests with a bearer token, as an approver's client sends them (the reporting cycle, SPEC §7). */
export async function sendJson(
  baseUrl: string,
  token: string,
  method: 'POST' | 'DELETE' | 'GET',
  path: string,
  body?: unknown,
) {
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: response.status, body: parsed };
}
