import { parseHeaderOptions } from './header-options.js';
import type { JsonObject, JsonValue } from './json.js';
import { parseJson } from './json-parse.js';
import { MultipartError, parseMultipart } from './multipart.js';
import { parseUrlEncoded, semiflatten, type MultiDict } from './url-encoded.js';

/** The four body-derived fields of httpbin's `get_dict`. */
export interface BodyEcho {
  form: JsonObject;
  files: JsonObject;
  data: string;
  json: JsonValue;
}

/** The request body cannot be parsed for its declared type (malformed multipart); answered with 400. */
export class BodyParseError extends Error {}

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// werkzeug's FormDataParser table; any other type leaves the body in request.data.
const URLENCODED_TYPES = new Set(['application/x-www-form-urlencoded', 'application/x-url-encoded']);

/**
 * What httpbin reports for a body. Form types are consumed by the form parser,
 * so `data` is "" and `json` null for them (Flask's request.data is empty);
 * any other body goes to `data` and is tried as JSON whatever its type.
 */
export function parseRequestBody(contentType: string | undefined, body: Buffer): BodyEcho {
  const { value: mimetype, params } = parseHeaderOptions(contentType);
  if (URLENCODED_TYPES.has(mimetype)) {
    return { form: semiflatten(parseUrlEncoded(body)), files: new Map(), data: '', json: null };
  }
  if (mimetype === 'multipart/form-data') {
    const boundary = params.get('boundary');
    if (boundary === undefined) throw new BodyParseError('multipart body without a boundary');
    let parts;
    try {
      parts = parseMultipart(body, boundary);
    } catch (error) {
      if (error instanceof MultipartError) throw new BodyParseError(error.message);
      throw error;
    }
    const fields: MultiDict = [];
    const files: JsonObject = new Map();
    for (const part of parts) {
      if (part.filename === undefined) {
        fields.push([part.name, decodeField(part.body, part.contentType)]);
      } else if (!files.has(part.name)) {
        // httpbin walks request.files.items(), which yields only the first file per field name.
        files.set(part.name, jsonSafe(part.body, part.contentType || 'application/octet-stream'));
      }
    }
    return { form: semiflatten(fields), files, data: '', json: null };
  }
  const text = decodeUtf8(body);
  const json = text === undefined ? undefined : parseJson(text);
  return { form: new Map(), files: new Map(), data: jsonSafe(body), json: json === undefined ? null : json };
}

/**
 * httpbin `json_safe`: valid UTF-8 is returned as text, anything else as an
 * RFC 2397 data URL so binary bodies survive the JSON echo.
 */
export function jsonSafe(bytes: Buffer, contentType = 'application/octet-stream'): string {
  const text = decodeUtf8(bytes);
  if (text !== undefined) return text;
  return 'data:' + contentType + ';base64,' + bytes.toString('base64');
}

/** Strict UTF-8 like Python's `bytes.decode('utf-8')`: no BOM stripping, undefined on invalid input (including encoded surrogates). */
export function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return undefined;
  }
}

function decodeField(bytes: Buffer, contentType: string | undefined): string {
  const charset = parseHeaderOptions(contentType).params.get('charset') ?? 'utf-8';
  try {
    return new TextDecoder(charset, { ignoreBOM: true }).decode(bytes);
  } catch {
    // An unknown charset label: werkzeug would fail too; UTF-8 is the useful guess.
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  }
}
