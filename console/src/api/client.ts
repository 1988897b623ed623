/**
 * The console's one way to the API: same-origin fetch with the session cookie, JSON in and out, and
 * every refusal as an ApiError carrying the API's `{error, message, issues}` body. Conditional
 * requests are the browser's job: the API answers with an ETag and the browser revalidates, so a
 * poll of an unchanged case is a 304.
 */
export interface ApiIssue {
  path: string;
  message: string;
  file?: string;
  row?: number | null;
}

export interface ApiErrorBody {
  error: string;
  message?: string;
  issues?: ApiIssue[];
  [key: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | null,
  ) {
    super(describe(status, body));
    this.name = "ApiError";
  }
}

function describe(status: number, body: ApiErrorBody | null): string {
  if (body?.message) return body.message;
  if (body?.issues?.length) return body.issues.map((i) => `${i.path}: ${i.message}`).join("; ");
  if (body?.error) return body.error.replaceAll("_", " ");
  return `the server answered ${status}`;
}

function parse(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export async function api<T>(
  path: string,
  opts: { method?: string; body?: unknown; signal?: AbortSignal | undefined } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(path, {
    method: opts.method ?? "GET",
    headers,
    credentials: "same-origin",
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const body = parse(await res.text());
  if (!res.ok) throw new ApiError(res.status, body as ApiErrorBody | null);
  return body as T;
}

/** A query string of the given values, leaving out empty ones (`?a=1&b=x`, or "" when none). */
export function query(values: Record<string, string | number | boolean | null | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === null || v === "") continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : "";
}

/**
 * A multipart upload with progress (fetch cannot report upload progress; XMLHttpRequest can).
 * Resolves with the parsed JSON answer, rejects with ApiError on a refusal.
 */
export function upload<T>(path: string, form: FormData, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.setRequestHeader("accept", "application/json");
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = parse(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(new ApiError(xhr.status, body as ApiErrorBody | null));
    };
    xhr.onerror = () => reject(new ApiError(0, { error: "network_error", message: "the upload failed" }));
    xhr.send(form);
  });
}
