// Header values of the CloudEvents NATS protocol binding (cloudevents/spec,
// cloudevents/bindings/nats-protocol-binding.md, section 3.1.3.2 "NATS Header Values"; the HTTP
// binding's section 3.1.3.2 says the same). The JavaScript CloudEvents SDK serialises events for
// HTTP without this encoding, so a NATS producer or consumer built on it has to add it.

const utf8 = new TextEncoder();
const strictUTF8 = new TextDecoder("utf-8", { fatal: true });

/** HeaderValueError is a value that cannot be encoded, or a header that cannot be decoded. */
export class HeaderValueError extends Error {}

/**
 * encodeHeaderValue percent-encodes an attribute value for a NATS header: space, double quote,
 * percent and every character outside printable ASCII (U+0021-U+007E), each byte of its UTF-8
 * form as %XY with upper-case hexadecimal digits; nothing else, and no quoting. A surrogate pair
 * is one character; a lone surrogate has no UTF-8 form and is refused.
 *
 * @param {string} s the attribute value in its canonical string form
 * @returns {string} the header value
 */
export function encodeHeaderValue(s) {
  if (!s.isWellFormed()) {
    throw new HeaderValueError(`attribute value ${JSON.stringify(s)} is not well-formed Unicode`);
  }
  let out = "";
  for (const b of utf8.encode(s)) {
    if (b <= 0x20 || b >= 0x7f || b === 0x22 || b === 0x25) {
      out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
    } else {
      out += String.fromCharCode(b);
    }
  }
  return out;
}

/**
 * decodeHeaderValue turns a NATS header value back into the attribute value: surrounding spaces
 * and tabs dropped; a double-quoted value unescaped as an RFC 7230 section 3.2.6 quoted-string
 * (backslash escapes included); then one round of percent-decoding that accepts lower-case
 * digits and unnecessarily encoded characters, and refuses a result that is not valid UTF-8
 * (overlong forms such as "%C0%A0" and encoded surrogates included).
 *
 * @param {string} v the header value as received
 * @returns {string} the attribute value
 */
export function decodeHeaderValue(v) {
  v = v.replace(/^[ \t]+|[ \t]+$/g, "");
  if (v.startsWith('"')) {
    v = unquote(v);
  }
  const bytes = [];
  for (let i = 0; i < v.length; ) {
    if (v[i] === "%") {
      const hex = v.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
        throw new HeaderValueError(`header value ${JSON.stringify(v)} has a % not followed by two hexadecimal digits`);
      }
      bytes.push(parseInt(hex, 16));
      i += 3;
      continue;
    }
    // A character sent unencoded, taken whole: a surrogate pair is one character.
    const c = String.fromCodePoint(v.codePointAt(i));
    bytes.push(...utf8.encode(c));
    i += c.length;
  }
  try {
    return strictUTF8.decode(new Uint8Array(bytes));
  } catch {
    throw new HeaderValueError(`header value ${JSON.stringify(v)} is not valid UTF-8 after percent-decoding`);
  }
}

/** unquote unescapes an RFC 7230 quoted-string: DQUOTE *( qdtext / quoted-pair ) DQUOTE. */
function unquote(v) {
  if (v.length < 2 || !v.endsWith('"')) {
    throw new HeaderValueError(`header value ${JSON.stringify(v)} is not a well-formed quoted-string`);
  }
  let out = "";
  for (let i = 1; i < v.length - 1; i++) {
    let c = v[i];
    if (c === "\\") {
      i++;
      if (i === v.length - 1) {
        throw new HeaderValueError(`header value ${JSON.stringify(v)} ends in a lone backslash`);
      }
      c = v[i];
    } else if (c === '"') {
      throw new HeaderValueError(`header value ${JSON.stringify(v)} has an unescaped double quote`);
    }
    out += c;
  }
  return out;
}
