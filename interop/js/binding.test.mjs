// Tests of the NATS binding's header value encoding: node --test binding.test.mjs

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { decodeHeaderValue, encodeHeaderValue, HeaderValueError } from "./binding.mjs";

describe("encodeHeaderValue", () => {
  const cases = [
    { name: "the binding's example", value: "Euro € 😀", want: "Euro%20%E2%82%AC%20%F0%9F%98%80" },
    { name: "printable ASCII unchanged", value: "/hris/test?a=b&c=d#e", want: "/hris/test?a=b&c=d#e" },
    { name: "space, double quote, percent", value: 'a "b" 100%', want: "a%20%22b%22%20100%25" },
    { name: "two-byte character", value: "Zoë", want: "Zo%C3%AB" },
    { name: "control characters", value: "a\tb\u007f", want: "a%09b%7F" },
    { name: "C1 control character", value: "\u0085", want: "%C2%85" },
    { name: "empty", value: "", want: "" },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(encodeHeaderValue(c.value), c.want);
      assert.equal(decodeHeaderValue(c.want), c.value);
    });
  }

  it("refuses a lone surrogate", () => {
    assert.throws(() => encodeHeaderValue("a\ud800b"), HeaderValueError);
  });
});

describe("decodeHeaderValue", () => {
  const cases = [
    { name: "lower-case digits", header: "%e2%82%ac", want: "€" },
    { name: "unnecessarily encoded", header: "%41%42", want: "AB" },
    { name: "surrounding white space", header: " \tabc\t ", want: "abc" },
    { name: "quoted-string", header: '"a b"', want: "a b" },
    { name: "quoted-string with escapes", header: '"a\\"b\\\\c"', want: 'a"b\\c' },
    { name: "quoted, then percent-decoded", header: '"100%25 sure"', want: "100% sure" },
    { name: "raw UTF-8, as the SDK sends it", header: "Zoë 😀", want: "Zoë 😀" },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(decodeHeaderValue(c.header), c.want);
    });
  }

  const refused = [
    { name: "overlong space", header: "%C0%A0" },
    { name: "encoded surrogate", header: "%ED%A0%80" },
    { name: "truncated sequence", header: "%E2%82" },
    { name: "percent without digits", header: "100% sure" },
    { name: "percent with one digit", header: "%4" },
    { name: "percent with non-hex digits", header: "%zz" },
    { name: "unterminated quoted-string", header: '"abc' },
    { name: "unescaped quote inside", header: '"a"b"' },
    { name: "lone backslash", header: '"abc\\"' },
  ];
  for (const c of refused) {
    it(`refuses ${c.name}`, () => {
      assert.throws(() => decodeHeaderValue(c.header), HeaderValueError);
    });
  }
});
