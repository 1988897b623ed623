import busboy from "busboy";
import { BODY_FIELDS, type EmailLimits } from "./email.limits.ts";
import { type Checked, invalid, ok, reject } from "./email.outcome.ts";

export interface FormFile {
  /** The form field name (`attachment1`, `attachment-1`…). */
  field: string;
  filename: string | null;
  contentType: string;
  content: Buffer;
}

export interface ParsedForm {
  /** Field values as the bytes sent: decoding is the caller's (SendGrid names charsets per field). */
  fields: Map<string, Buffer>;
  files: FormFile[];
}

/**
 * Parses a buffered multipart/form-data or application/x-www-form-urlencoded body with busboy,
 * applying `limits`. Field values are read as latin1 so that every byte survives untouched
 * (latin1 maps bytes 1:1 to code points); a part that itself declares a charset is decoded by busboy
 * with it, which providers do not do for these forms.
 * Invariant: a form that is cut short, over a limit or not a form at all is a Rejection, never partial data.
 */
export function parseForm(
  raw: Buffer,
  contentType: string,
  limits: EmailLimits,
): Promise<Checked<ParsedForm>> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Checked<ParsedForm>) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: { "content-type": contentType },
        defCharset: "latin1",
        defParamCharset: "utf8",
        limits: {
          fieldSize: limits.bodyBytes,
          fields: limits.fields,
          files: limits.attachments,
          fileSize: limits.bodyBytes,
          fieldNameSize: 200,
        },
      });
    } catch (e) {
      done(invalid("malformed_form", [{ path: "(body)", message: `not a form: ${(e as Error).message}` }]));
      return;
    }
    const fields = new Map<string, Buffer>();
    const files: FormFile[] = [];
    const pending: Promise<void>[] = [];

    bb.on("field", (name, value, info) => {
      const bytes = Buffer.from(value, "latin1");
      const max = BODY_FIELDS.has(name) ? limits.bodyBytes : limits.smallFieldBytes;
      if (info.valueTruncated || bytes.length > max) {
        done(
          reject("too_large", "field_too_large", `field ${name} exceeds ${max} bytes`, [
            { path: name, message: `exceeds the limit of ${max} bytes` },
          ]),
        );
        return;
      }
      fields.set(name, bytes);
    });
    bb.on("file", (name, stream, info) => {
      const chunks: Buffer[] = [];
      pending.push(
        new Promise<void>((res) => {
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("limit", () =>
            done(reject("too_large", "file_too_large", `file ${name} exceeds the size limit`)),
          );
          stream.on("error", () => res());
          stream.on("end", () => {
            files.push({
              field: name,
              filename: info.filename || null,
              contentType: info.mimeType || "application/octet-stream",
              content: Buffer.concat(chunks),
            });
            res();
          });
        }),
      );
    });
    bb.on("filesLimit", () =>
      done(
        reject("too_large", "too_many_attachments", `more than ${limits.attachments} attachments`, [
          { path: "(attachments)", message: `at most ${limits.attachments} attachments are accepted` },
        ]),
      ),
    );
    bb.on("fieldsLimit", () =>
      done(
        reject("too_large", "too_many_fields", `more than ${limits.fields} form fields`, [
          { path: "(body)", message: `at most ${limits.fields} form fields are accepted` },
        ]),
      ),
    );
    bb.on("error", (e) =>
      done(
        invalid("truncated_form", [
          { path: "(body)", message: `malformed or truncated form: ${(e as Error).message}` },
        ]),
      ),
    );
    bb.on("close", () => {
      void Promise.all(pending).then(() => done(ok({ fields, files })));
    });
    bb.end(raw);
  });
}

/** Strict UTF-8, so a byte sequence that is not UTF-8 is reported rather than silently replaced. */
export function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}
