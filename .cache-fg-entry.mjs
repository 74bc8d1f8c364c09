// src/adapters/cli/commands/images-select.ts
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseAllDocuments } from "yaml";

// src/core/model/object.ts
function isJsonObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

// src/core/images/policy/spec.ts
function str(v) {
  return typeof v === "string" ? v : void 0;
}
function parseChoice(raw) {
  if (raw === void 0 || raw === null) return {};
  if (!isJsonObject(raw)) return "spec.policy must be a mapping";
  const choice = {};
  const { semver, alphabetical, numerical } = raw;
  if (semver !== void 0 && semver !== null) {
    if (!isJsonObject(semver) || typeof semver["range"] !== "string") return "spec.policy.semver.range must be a string";
    choice.semver = { range: semver["range"] };
  }
  for (const [key, value] of [["alphabetical", alphabetical], ["numerical", numerical]]) {
    if (value === void 0 || value === null) continue;
    if (!isJsonObject(value)) return `spec.policy.${key} must be a mapping`;
    const order = value["order"];
    if (order !== void 0 && typeof order !== "string") return `spec.policy.${key}.order must be a string`;
    choice[key] = order === void 0 ? {} : { order };
  }
  return choice;
}
function parseImagePolicy(obj) {
  if (!isJsonObject(obj)) return { ok: false, error: "not a Kubernetes object" };
  const apiVersion = str(obj["apiVersion"]) ?? "";
  if (obj["kind"] !== "ImagePolicy" || !apiVersion.startsWith("image.toolkit.fluxcd.io/")) {
    return { ok: false, error: `expected an image.toolkit.fluxcd.io ImagePolicy, got ${apiVersion || "?"} ${str(obj["kind"]) ?? "?"}` };
  }
  const spec = obj["spec"];
  if (!isJsonObject(spec)) return { ok: false, error: "ImagePolicy has no spec" };
  const ref = spec["imageRepositoryRef"];
  if (!isJsonObject(ref) || typeof ref["name"] !== "string") return { ok: false, error: "spec.imageRepositoryRef.name is required" };
  const policy = parseChoice(spec["policy"]);
  if (typeof policy === "string") return { ok: false, error: policy };
  const out = { imageRepositoryRef: { name: ref["name"], ...typeof ref["namespace"] === "string" ? { namespace: ref["namespace"] } : {} }, policy };
  const ft = spec["filterTags"];
  if (ft !== void 0 && ft !== null) {
    if (!isJsonObject(ft)) return { ok: false, error: "spec.filterTags must be a mapping" };
    out.filterTags = { pattern: str(ft["pattern"]) ?? "", extract: str(ft["extract"]) ?? "" };
  }
  const drp = spec["digestReflectionPolicy"];
  if (drp === "Never" || drp === "IfNotPresent" || drp === "Always") out.digestReflectionPolicy = drp;
  if (typeof spec["interval"] === "string") out.interval = spec["interval"];
  if (typeof spec["suspend"] === "boolean") out.suspend = spec["suspend"];
  return { ok: true, spec: out };
}

// src/core/images/policy/go-regexp.ts
function compileGoRegexp(pattern) {
  try {
    const { source, flags } = new Translator(pattern).run();
    return { ok: true, re: new RegExp(source, flags) };
  } catch (err) {
    if (err instanceof GoSyntaxError) return { ok: false, error: `error parsing regexp: ${err.message}` };
    return { ok: false, error: `error parsing regexp: ${err instanceof Error ? err.message : String(err)}` };
  }
}
var GoSyntaxError = class extends Error {
};
var SYNTAX = /* @__PURE__ */ new Set(["^", "$", "\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "/"]);
var SPACE = "\\t\\n\\f\\r ";
var POSIX = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f"
};
function escapeLiteral(ch, inClass) {
  if (SYNTAX.has(ch) || inClass && ch === "-") return `\\${ch}`;
  const cp = ch.codePointAt(0);
  if (cp < 32 || cp === 127) return `\\x${cp.toString(16).padStart(2, "0")}`;
  return ch;
}
var Translator = class {
  constructor(p) {
    this.p = p;
  }
  p;
  i = 0;
  out = "";
  flags = "u";
  run() {
    this.leadingFlags();
    let depth = 0;
    while (this.i < this.p.length) {
      const c = this.p[this.i];
      if (c === "\\") this.out += this.escape(false);
      else if (c === "[") this.charClass();
      else if (c === "(") {
        this.group();
        depth++;
      } else if (c === ")") {
        if (depth === 0) throw new GoSyntaxError(`unexpected ): \`${this.p}\``);
        depth--;
        this.out += ")";
        this.i++;
      } else if (c === "{") this.brace();
      else if (c === "]" || c === "}") {
        this.out += `\\${c}`;
        this.i++;
      } else {
        this.out += c;
        this.i++;
      }
    }
    if (depth > 0) throw new GoSyntaxError(`missing closing ): \`${this.p}\``);
    return { source: this.out, flags: this.flags };
  }
  leadingFlags() {
    const m = /^\(\?([imsU]+)\)/.exec(this.p);
    if (!m) return;
    for (const f of m[1]) {
      if (f === "U") throw new GoSyntaxError("the U (ungreedy) flag is not supported by Fluxgate");
      if (!this.flags.includes(f)) this.flags += f;
    }
    this.i = m[0].length;
  }
  group() {
    const rest2 = this.p.slice(this.i);
    const named = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(rest2);
    if (named) {
      this.out += `(?<${named[1]}>`;
      this.i += named[0].length;
    } else if (rest2.startsWith("(?:")) {
      this.out += "(?:";
      this.i += 3;
    } else if (rest2.startsWith("(?")) {
      const op = /^\(\?[^)]{0,2}/.exec(rest2)[0];
      if (/^\(\?[imsU-]/.test(rest2)) throw new GoSyntaxError(`flag groups inside a pattern are not supported by Fluxgate: \`${op}\``);
      throw new GoSyntaxError(`invalid or unsupported Perl syntax: \`${op}\``);
    } else {
      this.out += "(";
      this.i++;
    }
  }
  /** `{n}`, `{n,}`, `{n,m}` repeat; anything else is a literal brace in RE2. */
  brace() {
    const m = /^\{([0-9]+)(,([0-9]*))?\}/.exec(this.p.slice(this.i));
    if (!m) {
      this.out += "\\{";
      this.i++;
      return;
    }
    const min = Number(m[1]);
    const max = m[3] ? Number(m[3]) : min;
    if (min > 1e3 || max > 1e3 || m[3] && max < min) throw new GoSyntaxError(`invalid repeat count: \`${m[0]}\``);
    this.out += m[0];
    this.i += m[0].length;
  }
  escape(inClass) {
    const next = this.p[this.i + 1];
    if (next === void 0) throw new GoSyntaxError("trailing backslash at end of expression: ``");
    this.i += 2;
    switch (next) {
      case "d":
      case "D":
      case "w":
      case "W":
      case "f":
      case "t":
      case "n":
      case "r":
      case "v":
        return `\\${next}`;
      case "b":
      case "B":
        if (inClass) throw new GoSyntaxError(`invalid escape sequence: \`\\${next}\``);
        return `\\${next}`;
      case "a":
        return "\\x07";
      case "s":
        return inClass ? SPACE : `[${SPACE}]`;
      case "S":
        if (inClass) return "\\S";
        return `[^${SPACE}]`;
      case "A":
        if (inClass) break;
        return "(?<![\\s\\S])";
      case "z":
        if (inClass) break;
        return "(?![\\s\\S])";
      case "x":
        return this.hexEscape();
      case "p":
      case "P":
        return this.unicodeClass(next);
      case "Q":
        return this.quoted(inClass);
    }
    if (/[0-7]/.test(next)) return this.octal(next);
    if (/[0-9A-Za-z]/.test(next)) throw new GoSyntaxError(`invalid escape sequence: \`\\${next}\``);
    return escapeLiteral(next, inClass);
  }
  hexEscape() {
    const rest2 = this.p.slice(this.i);
    const braced = /^\{([0-9A-Fa-f]+)\}/.exec(rest2);
    const short = /^[0-9A-Fa-f]{2}/.exec(rest2);
    const hex = braced ? braced[1] : short ? short[0] : void 0;
    if (hex === void 0 || parseInt(hex, 16) > 1114111) throw new GoSyntaxError("invalid escape sequence: `\\x`");
    this.i += braced ? braced[0].length : 2;
    return `\\u{${parseInt(hex, 16).toString(16)}}`;
  }
  octal(first) {
    const m = /^[0-7]{0,2}/.exec(this.p.slice(this.i))[0];
    if (first !== "0" && m === "") throw new GoSyntaxError(`invalid escape sequence: \`\\${first}\``);
    this.i += m.length;
    return `\\u{${parseInt(first + m, 8).toString(16)}}`;
  }
  unicodeClass(kind) {
    const rest2 = this.p.slice(this.i);
    const m = /^(\{\^?[A-Za-z_]+\}|[A-Za-z])/.exec(rest2);
    if (!m) throw new GoSyntaxError(`invalid character class range: \`\\${kind}\``);
    this.i += m[0].length;
    let name = m[0].replace(/[{}]/g, "");
    let negate = kind === "P";
    if (name.startsWith("^")) {
      negate = !negate;
      name = name.slice(1);
    }
    const prop = name.length <= 2 || name === "Any" ? name : `Script=${name}`;
    return `\\${negate ? "P" : "p"}{${prop}}`;
  }
  quoted(inClass) {
    const end = this.p.indexOf("\\E", this.i);
    const text = end < 0 ? this.p.slice(this.i) : this.p.slice(this.i, end);
    this.i = end < 0 ? this.p.length : end + 2;
    return Array.from(text, (ch) => escapeLiteral(ch, inClass)).join("");
  }
  charClass() {
    this.i++;
    let body = "";
    if (this.p[this.i] === "^") {
      body += "^";
      this.i++;
    }
    if (this.p[this.i] === "]") {
      body += "\\]";
      this.i++;
    }
    for (; ; ) {
      const c = this.p[this.i];
      if (c === void 0) throw new GoSyntaxError(`missing closing ]: \`${this.p.slice(this.p.lastIndexOf("["))}\``);
      if (c === "]") {
        this.i++;
        break;
      }
      if (c === "[" && this.p[this.i + 1] === ":") {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(this.p.slice(this.i));
        if (m && POSIX[m[2]] !== void 0) {
          if (m[1]) throw new GoSyntaxError("negated POSIX classes are not supported by Fluxgate");
          body += POSIX[m[2]];
          this.i += m[0].length;
          continue;
        }
      }
      if (c === "\\") body += this.escape(true);
      else if (c === "-") {
        body += "-";
        this.i++;
      } else {
        body += escapeLiteral(c, true).replace(/^\\-$/, "-");
        this.i++;
      }
    }
    this.out += `[${body}]`;
  }
};

// src/core/images/policy/go-expand.ts
function goExpand(template, match) {
  let out = "";
  let rest2 = template;
  for (; ; ) {
    const at = rest2.indexOf("$");
    if (at < 0) break;
    out += rest2.slice(0, at);
    rest2 = rest2.slice(at + 1);
    if (rest2.startsWith("$")) {
      out += "$";
      rest2 = rest2.slice(1);
      continue;
    }
    const ref = readReference(rest2);
    if (!ref) {
      out += "$";
      continue;
    }
    rest2 = ref.rest;
    out += groupText(ref.name, match);
  }
  return out + rest2;
}
var NAME_CHAR = /^[\p{L}\p{Nd}_]/u;
function readReference(text) {
  const brace = text.startsWith("{");
  let s = brace ? text.slice(1) : text;
  let name = "";
  for (; ; ) {
    const m = NAME_CHAR.exec(s);
    if (!m) break;
    name += m[0];
    s = s.slice(m[0].length);
  }
  if (name === "") return void 0;
  if (brace) {
    if (!s.startsWith("}")) return void 0;
    s = s.slice(1);
  }
  return { name, rest: s };
}
function groupText(name, match) {
  if (/^(0|[1-9][0-9]{0,7})$/.test(name)) return match[Number(name)] ?? "";
  if (/^[0-9]+$/.test(name) && name.length > 1 && !name.startsWith("0")) return "";
  return match.groups?.[name] ?? "";
}

// src/core/images/policy/go-parse-float.ts
function goParseFloat(s) {
  const special = /^([+-]?)(inf|infinity)$/i.exec(s);
  if (special) return special[1] === "-" ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  const dec = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
  if (dec.test(s)) return finite(Number(s));
  const hex = /^([+-]?)0[xX]((?:[0-9a-fA-F_]+\.?[0-9a-fA-F_]*|\.[0-9a-fA-F_]+))[pP]([+-]?[0-9_]+)$/.exec(s);
  if (!hex || !underscoresOk(s)) return void 0;
  const [, sign, mantissa = "", exp = ""] = hex;
  const clean = mantissa.replaceAll("_", "");
  const [intPart = "", fracPart = ""] = clean.split(".");
  const digits = intPart + fracPart;
  if (digits === "") return void 0;
  let value = 0;
  for (const d of digits) value = value * 16 + parseInt(d, 16);
  const e = Number(exp.replaceAll("_", "")) - 4 * fracPart.length;
  const result = finite(value * 2 ** e);
  return result === void 0 ? void 0 : sign === "-" ? -result : result;
}
function finite(n) {
  return Number.isFinite(n) ? n : void 0;
}
function underscoresOk(s) {
  if (!s.includes("_")) return true;
  const body = s.replace(/^[+-]/, "");
  return !/__|_$|_[.pP]|[.pP+-]_/.test(body.slice(2)) && !body.slice(2).startsWith(".");
}

// src/core/images/policy/masterminds/version.ts
var LOOSE = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
var UINT64_MAX = (1n << 64n) - 1n;
var VERSION_ERRORS = Object.freeze({
  invalid: "invalid semantic version",
  prerelease: "invalid prerelease string",
  metadata: "invalid metadata string",
  segmentZero: "version segment starts with 0",
  segment: "error parsing version segment"
});
function segment(text) {
  if (text === void 0 || text === "") return 0n;
  const n = BigInt(text.replace(/^\./, ""));
  return n > UINT64_MAX ? void 0 : n;
}
function prereleaseError(pre) {
  for (const part of pre.split(".")) {
    if (part === "") return VERSION_ERRORS.prerelease;
    if (/^[0-9]+$/.test(part)) {
      if (part.length > 1 && part.startsWith("0")) return VERSION_ERRORS.segmentZero;
    } else if (!/^[0-9A-Za-z-]+$/.test(part)) return VERSION_ERRORS.prerelease;
  }
  return void 0;
}
function metadataError(meta) {
  return meta.split(".").every((p) => /^[0-9A-Za-z-]+$/.test(p)) ? void 0 : VERSION_ERRORS.metadata;
}
function newVersion(text) {
  const m = LOOSE.exec(text);
  if (!m) return { ok: false, error: VERSION_ERRORS.invalid };
  const major = segment(m[1]);
  const minor = segment(m[2]);
  const patch = segment(m[3]);
  if (major === void 0 || minor === void 0 || patch === void 0) return { ok: false, error: VERSION_ERRORS.segment };
  const pre = m[5] ?? "";
  const metadata = m[8] ?? "";
  const err = pre && prereleaseError(pre) || metadata && metadataError(metadata);
  if (err) return { ok: false, error: err };
  return { ok: true, version: { major, minor, patch, pre, metadata, original: text } };
}
function parseFluxVersion(text) {
  if (text.split(".").length < 3) return void 0;
  const r = newVersion(text);
  return r.ok ? r.version : void 0;
}
function cmpBig(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
var NUMERIC = /^[0-9]+$/;
function comparePrePart(s, o) {
  if (s === o) return 0;
  if (s === "") return -1;
  if (o === "") return 1;
  const sNum = NUMERIC.test(s) && BigInt(s) <= UINT64_MAX;
  const oNum = NUMERIC.test(o) && BigInt(o) <= UINT64_MAX;
  if (!sNum && !oNum) return s > o ? 1 : -1;
  if (!oNum) return -1;
  if (!sNum) return 1;
  return BigInt(s) > BigInt(o) ? 1 : -1;
}
function comparePrerelease(a, b) {
  const ap = a.split(".");
  const bp = b.split(".");
  for (let i = 0; i < Math.max(ap.length, bp.length); i++) {
    const d = comparePrePart(ap[i] ?? "", bp[i] ?? "");
    if (d !== 0) return d;
  }
  return 0;
}
function compareVersions(a, b) {
  const d = cmpBig(a.major, b.major) || cmpBig(a.minor, b.minor) || cmpBig(a.patch, b.patch);
  if (d !== 0) return d;
  if (a.pre === "" && b.pre === "") return 0;
  if (a.pre === "") return 1;
  if (b.pre === "") return -1;
  return comparePrerelease(a.pre, b.pre);
}

// src/core/images/policy/masterminds/constraints.ts
var S = "[\\t\\n\\f\\r ]";
var OPS = "=||!=|>|<|>=|=>|<=|=<|~|~>|\\^";
var CV = "v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?";
var CONSTRAINT = new RegExp(`^${S}*(${OPS})${S}*(${CV})${S}*$`);
var RANGE = new RegExp(`${S}*(${CV})${S}+-${S}+(${CV})${S}*`, "g");
var FIND = new RegExp(`(${OPS})${S}*(${CV})`, "g");
var VALID = new RegExp(`^(${S}*(${OPS})${S}*(${CV})${S}*)((?:${S}+|,${S}*)(${OPS})${S}*(${CV})${S}*)*$`);
function quote(s) {
  return JSON.stringify(s);
}
function rewriteRange(text) {
  let out = text;
  for (const m of text.matchAll(RANGE)) out = out.replace(m[0], `>= ${m[1]}, <= ${m[11]} `);
  return out;
}
var isX = (s) => s === "x" || s === "X" || s === "*";
function parseComparator(text) {
  const m = CONSTRAINT.exec(text);
  if (!m) return `improper constraint: ${quote(text)}`;
  const [, op = "", orig = "", major = "", minor = "", patch = "", pre = ""] = m;
  let ver = orig;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(major) || major === "") {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (isX(minor.replace(/^\./, "")) || minor === "") {
    ver = `${major}.0.0${pre}`;
    dirty = minorDirty = true;
  } else if (isX(patch.replace(/^\./, "")) || patch === "") {
    ver = `${major}${minor}.0${pre}`;
    dirty = patchDirty = true;
  }
  const v = newVersion(ver);
  if (!v.ok) return "constraint parser error";
  return { op, orig, con: v.version, dirty, minorDirty, patchDirty };
}
function parseConstraints(text) {
  const alternatives = [];
  const containsPre = [];
  for (const alt of rewriteRange(text).split("||")) {
    if (!VALID.test(alt)) return { ok: false, error: `improper constraint: ${quote(alt)}` };
    const parts = [...alt.matchAll(FIND)].map((m) => m[0]);
    const comparators = [];
    for (const part of parts.length > 0 ? parts : [alt]) {
      const c = parseComparator(part);
      if (typeof c === "string") return { ok: false, error: c };
      comparators.push(c);
    }
    alternatives.push(comparators);
    containsPre.push(comparators.some((c) => c.con.pre !== ""));
  }
  return { ok: true, constraints: { alternatives, containsPre } };
}
function checkConstraints(cs, v) {
  return cs.alternatives.some((alt, i) => alt.every((c) => checkOne(c, v, cs.containsPre[i] === true)));
}
function checkOne(c, v, includePre) {
  if (v.pre !== "" && !includePre) return false;
  switch (c.op) {
    case "":
    case "=":
      return c.dirty ? tilde(c, v) : compareVersions(v, c.con) === 0;
    case "!=":
      return notEqual(c, v);
    case ">":
      return greaterThan(c, v);
    case "<":
      return compareVersions(v, c.con) < 0;
    case ">=":
    case "=>":
      return compareVersions(v, c.con) >= 0;
    case "<=":
    case "=<":
      return lessThanEqual(c, v);
    case "~":
    case "~>":
      return tilde(c, v);
    case "^":
      return caret(c, v);
    default:
      return false;
  }
}
function notEqual(c, v) {
  if (c.dirty) {
    if (c.con.major !== v.major) return true;
    if (c.con.minor !== v.minor && !c.minorDirty) return true;
    if (c.minorDirty) return false;
    if (c.con.patch !== v.patch && !c.patchDirty) return true;
    if (c.patchDirty) {
      if (v.pre !== "" || c.con.pre !== "") return comparePrerelease(v.pre, c.con.pre) !== 0;
      return false;
    }
  }
  return compareVersions(v, c.con) !== 0;
}
function greaterThan(c, v) {
  if (!c.dirty) return compareVersions(v, c.con) === 1;
  if (v.major > c.con.major) return true;
  if (v.major < c.con.major) return false;
  if (c.minorDirty) return false;
  if (c.patchDirty) return v.minor > c.con.minor;
  return compareVersions(v, c.con) === 1;
}
function lessThanEqual(c, v) {
  if (!c.dirty) return compareVersions(v, c.con) <= 0;
  if (v.major > c.con.major) return false;
  if (v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty) return false;
  return true;
}
function tilde(c, v) {
  if (compareVersions(v, c.con) < 0) return false;
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.con.major) return false;
  if (v.minor !== c.con.minor && !c.minorDirty) return false;
  return true;
}
function caret(c, v) {
  if (compareVersions(v, c.con) < 0) return false;
  if (c.con.major > 0n || c.minorDirty) return v.major === c.con.major;
  if (c.con.major === 0n && v.major > 0n) return false;
  if (c.con.minor > 0n || c.patchDirty) return v.minor === c.con.minor;
  if (c.con.minor === 0n && v.minor > 0n) return false;
  return c.con.patch === v.patch;
}

// src/core/images/policy/policers.ts
var EMPTY = "version list argument cannot be empty";
function semverPolicer(range) {
  const parsed = parseConstraints(range);
  if (!parsed.ok) return parsed.error;
  const cs = parsed.constraints;
  return {
    kind: "semver",
    latest(candidates) {
      if (candidates.length === 0) return { ok: false, error: EMPTY };
      let best;
      let tie = false;
      for (const tag of candidates) {
        const v = parseFluxVersion(tag);
        if (!v || !checkConstraints(cs, v)) continue;
        const d = best ? compareVersions(v, best) : 1;
        if (d > 0) {
          best = v;
          tie = false;
        } else if (d === 0) tie = true;
      }
      if (!best) return { ok: false, error: "unable to determine latest version from provided list" };
      return { ok: true, value: best.original, tie };
    },
    rank(a, b) {
      const va = parseFluxVersion(a);
      const vb = parseFluxVersion(b);
      return va && vb ? compareVersions(va, vb) : void 0;
    }
  };
}
function byteCompare(a, b) {
  const x = Array.from(a, (c) => c.codePointAt(0));
  const y = Array.from(b, (c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}
function orderOf(order) {
  const o = (order ?? "").toUpperCase();
  if (o === "" || o === "ASC") return "ASC";
  if (o === "DESC") return "DESC";
  return `invalid order argument provided: '${o}', must be one of: ASC, DESC`;
}
function alphabeticalPolicer(order) {
  const sign = order === "ASC" ? 1 : -1;
  return {
    kind: "alphabetical",
    latest(candidates) {
      if (candidates.length === 0) return { ok: false, error: EMPTY };
      const best = candidates.reduce((acc, t) => sign * byteCompare(t, acc) > 0 ? t : acc);
      return { ok: true, value: best, tie: false };
    },
    rank: (a, b) => sign * byteCompare(a, b)
  };
}
function numericalPolicer(order) {
  return {
    kind: "numerical",
    latest(candidates) {
      if (candidates.length === 0) return { ok: false, error: EMPTY };
      let latest = "";
      let pv = 0;
      let tie = false;
      for (const [i, tag] of candidates.entries()) {
        const cv = goParseFloat(tag);
        if (cv === void 0) return { ok: false, error: `failed to parse invalid numeric value '${tag}'` };
        if (i > 0 && (order === "ASC" && cv < pv || order === "DESC" && cv > pv)) continue;
        tie = i > 0 && cv === pv;
        latest = tag;
        pv = cv;
      }
      return { ok: true, value: latest, tie };
    },
    rank(a, b) {
      const x = goParseFloat(a);
      const y = goParseFloat(b);
      if (x === void 0 || y === void 0 || Number.isNaN(x) || Number.isNaN(y)) return void 0;
      const d = x === y ? 0 : x > y ? 1 : -1;
      return order === "ASC" ? d : -d;
    }
  };
}
function policerFromChoice(choice) {
  if (choice.semver) {
    const p = semverPolicer(choice.semver.range);
    return typeof p === "string" ? { ok: false, error: p } : { ok: true, policer: p };
  }
  const numerical = choice.alphabetical === void 0 ? choice.numerical : void 0;
  const set = choice.alphabetical ?? numerical;
  if (!set) return { ok: false, error: "given ImagePolicyChoice object is invalid" };
  const order = orderOf(set.order);
  if (order !== "ASC" && order !== "DESC") return { ok: false, error: order };
  return { ok: true, policer: choice.alphabetical ? alphabeticalPolicer(order) : numericalPolicer(order) };
}

// src/core/images/policy/select-tag.ts
var DEFAULT_EXCLUSION_LIST = Object.freeze(["^.*\\.sig$"]);
function storedOrder(tags) {
  return [...tags].sort((a, b) => byteCompare(b, a));
}
function applyExclusionList(tags, exclusionList) {
  const compiled = compileExclusionList(exclusionList);
  if (!compiled.ok) return [];
  return storedOrder(tags.filter((t) => !compiled.res.some((re) => re.test(t))));
}
function compileExclusionList(exclusionList) {
  const patterns = exclusionList && exclusionList.length > 0 ? exclusionList : DEFAULT_EXCLUSION_LIST;
  const res = [];
  for (const p of patterns) {
    const r = compileGoRegexp(p);
    if (!r.ok) return { ok: false, error: `failed to compile regex ${p}: ${r.error}` };
    res.push(r.re);
  }
  return { ok: true, res };
}
function tagFilter(spec) {
  const ft = spec.filterTags;
  if (!ft) return { ok: true, apply: (t) => t };
  const compiled = compileGoRegexp(ft.pattern);
  if (!compiled.ok) return { ok: false, error: `failed to filter tags: invalid regular expression pattern '${ft.pattern}': ${compiled.error}` };
  const re = compiled.re;
  return {
    ok: true,
    apply(tag) {
      re.lastIndex = 0;
      const m = re.exec(tag);
      if (!m) return void 0;
      return ft.extract === "" ? tag : goExpand(ft.extract, m);
    }
  };
}
function selectTag(spec, tags) {
  const policer = policerFromChoice(spec.policy);
  if (!policer.ok) return { ok: false, error: `invalid policy: ${policer.error}` };
  if (tags.length === 0) return { ok: false, error: "no tags in database" };
  const filter = tagFilter(spec);
  if (!filter.ok) return filter;
  const byKey = /* @__PURE__ */ new Map();
  for (const tag2 of storedOrder(tags)) {
    const key = filter.apply(tag2);
    if (key === void 0) continue;
    byKey.delete(key);
    byKey.set(key, tag2);
  }
  const latest = policer.policer.latest([...byKey.keys()]);
  if (!latest.ok) return latest;
  const tag = byKey.get(latest.value);
  return spec.filterTags && latest.tie ? { ok: true, tag, tieBroken: true } : { ok: true, tag };
}

// src/adapters/cli/io.ts
var EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2 });
var UsageError = class extends Error {
  code = "usage";
};

// src/adapters/cli/commands/images-select.ts
var usage = `Usage: fluxgate images select --policy POLICY.yaml --tags TAGS.txt [--exclude REGEX]...

Prints the tag Flux's image-reflector-controller would select for an ImagePolicy
(status.latestRef.tag) from a list of registry tags.

Options:
  --policy FILE    an image.toolkit.fluxcd.io ImagePolicy (first one in the file)
  --tags FILE      registry tags, one per line
  --exclude REGEX  ImageRepository exclusionList entry (repeatable; default '^.*\\.sig$')

Exit codes: 0 printed, 1 Flux would fail (its message on stderr), 2 usage error.
`;
async function readText(path) {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${err.code ?? String(err)}`);
  }
}
function firstImagePolicy(text, file) {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    if (doc.errors.length > 0) throw new UsageError(`${file}: invalid YAML (${doc.errors[0].code})`);
    const value = doc.toJS();
    if (typeof value === "object" && value !== null && value.kind === "ImagePolicy") return value;
  }
  throw new UsageError(`${file}: no ImagePolicy found`);
}
var command = {
  name: "images-select",
  summary: "the tag an ImagePolicy selects",
  usage,
  async run(argv, io2) {
    if (argv.includes("--help") || argv.includes("-h")) {
      io2.stdout(usage);
      return EXIT.ok;
    }
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: { policy: { type: "string" }, tags: { type: "string" }, exclude: { type: "string", multiple: true } } });
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    const { policy, tags, exclude } = parsed.values;
    if (!policy || !tags) throw new UsageError("--policy and --tags are required");
    const spec = parseImagePolicy(firstImagePolicy(await readText(resolve(io2.cwd, policy)), policy));
    if (!spec.ok) throw new UsageError(`${policy}: ${spec.error}`);
    const list = (await readText(resolve(io2.cwd, tags))).split(/\r?\n/).map((t) => t.trim()).filter((t) => t !== "");
    const result = selectTag(spec.spec, applyExclusionList(list, exclude));
    if (!result.ok) {
      io2.stderr(`fluxgate images select: ${result.error}
`);
      return EXIT.failed;
    }
    if (result.tieBroken) io2.stderr("fluxgate images select: several tags rank equal; Flux picks one of them at random, this is the first in stored order\n");
    io2.stdout(`${result.tag}
`);
    return EXIT.ok;
  }
};
var images_select_default = command;

// src/adapters/cli/commands/substitute.ts
import { readFile as readFile2 } from "node:fs/promises";
import { resolve as resolve2 } from "node:path";
import { parseArgs as parseArgs2 } from "node:util";

// src/core/substitute/bytes.ts
var encoder = new TextEncoder();
var decoder = new TextDecoder("utf-8");
function toBytes(text) {
  const bytes = encoder.encode(text);
  let out = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return out;
}
function fromBytes(bytes) {
  const arr = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) arr[i] = bytes.charCodeAt(i);
  return decoder.decode(arr);
}
var RUNE_ERROR = 65533;
function decodeRune(bytes, pos) {
  if (pos >= bytes.length) return { rune: RUNE_ERROR, width: 0 };
  const b0 = bytes.charCodeAt(pos);
  if (b0 < 128) return { rune: b0, width: 1 };
  const need = b0 >= 240 && b0 <= 244 ? 3 : b0 >= 224 ? b0 <= 239 ? 2 : -1 : b0 >= 194 ? 1 : -1;
  if (need < 0 || pos + need >= bytes.length) return { rune: RUNE_ERROR, width: 1 };
  let rune = need === 1 ? b0 & 31 : need === 2 ? b0 & 15 : b0 & 7;
  for (let k = 1; k <= need; k++) {
    const b = bytes.charCodeAt(pos + k);
    if ((b & 192) !== 128) return { rune: RUNE_ERROR, width: 1 };
    rune = rune << 6 | b & 63;
  }
  const min = need === 1 ? 128 : need === 2 ? 2048 : 65536;
  if (rune < min || rune > 1114111 || rune >= 55296 && rune <= 57343) return { rune: RUNE_ERROR, width: 1 };
  return { rune, width: need + 1 };
}
function encodeRune(rune) {
  return toBytes(String.fromCodePoint(rune));
}
function runesOf(bytes) {
  const out = [];
  for (let pos = 0; pos < bytes.length; ) {
    const { rune, width } = decodeRune(bytes, pos);
    out.push(rune);
    pos += width;
  }
  return out;
}
function runesToBytes(runes) {
  return runes.map(encodeRune).join("");
}

// src/core/substitute/glob.ts
function globMatch(pattern, name) {
  outer: while (pattern.length > 0) {
    const { star, chunk, rest: rest2 } = scanChunk(pattern);
    pattern = rest2;
    if (star && chunk === "") return true;
    const first = matchChunk(chunk, name);
    if (first.ok && (first.rest.length === 0 || pattern.length > 0)) {
      name = first.rest;
      continue;
    }
    if (first.bad) return void 0;
    if (star) {
      for (let i = 0; i < name.length; i++) {
        const m = matchChunk(chunk, name.slice(i + 1));
        if (m.ok) {
          if (pattern.length === 0 && m.rest.length > 0) continue;
          name = m.rest;
          continue outer;
        }
        if (m.bad) return void 0;
      }
    }
    return false;
  }
  return name.length === 0;
}
function scanChunk(pattern) {
  let star = false;
  while (pattern.length > 0 && pattern[0] === "*") {
    pattern = pattern.slice(1);
    star = true;
  }
  let inRange = false;
  let i = 0;
  for (; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      if (i + 1 < pattern.length) i++;
    } else if (c === "[") inRange = true;
    else if (c === "]") inRange = false;
    else if (c === "*" && !inRange) break;
  }
  return { star, chunk: pattern.slice(0, i), rest: pattern.slice(i) };
}
var NO = { ok: false, rest: "", bad: false };
var BAD = { ok: false, rest: "", bad: true };
function matchChunk(chunk, s) {
  while (chunk.length > 0) {
    if (s.length === 0) return NO;
    const c = chunk[0];
    if (c === "[") {
      const { rune, width } = decodeRune(s, 0);
      s = s.slice(width);
      const cls = matchClass(chunk.slice(1), rune);
      if (cls === void 0) return BAD;
      if (!cls.matched) return NO;
      chunk = cls.rest;
    } else if (c === "?") {
      s = s.slice(decodeRune(s, 0).width);
      chunk = chunk.slice(1);
    } else {
      if (c === "\\") {
        chunk = chunk.slice(1);
        if (chunk.length === 0) return BAD;
      }
      if (chunk[0] !== s[0]) return NO;
      s = s.slice(1);
      chunk = chunk.slice(1);
    }
  }
  return { ok: true, rest: s, bad: false };
}
function matchClass(chunk, r) {
  let negated = false;
  if (chunk[0] === "^") {
    negated = true;
    chunk = chunk.slice(1);
  }
  let match = false;
  for (let n = 0; ; n++) {
    if (chunk[0] === "]" && n > 0) return { matched: match !== negated, rest: chunk.slice(1) };
    const lo = getEsc(chunk);
    if (!lo) return void 0;
    let hi = lo.rune;
    chunk = lo.rest;
    if (chunk[0] === "-") {
      const h = getEsc(chunk.slice(1));
      if (!h) return void 0;
      hi = h.rune;
      chunk = h.rest;
    }
    if (lo.rune <= r && r <= hi) match = true;
  }
}
function getEsc(chunk) {
  if (chunk.length === 0 || chunk[0] === "-" || chunk[0] === "]") return void 0;
  if (chunk[0] === "\\") {
    chunk = chunk.slice(1);
    if (chunk.length === 0) return void 0;
  }
  const { rune, width } = decodeRune(chunk, 0);
  if (rune === RUNE_ERROR && width === 1) return void 0;
  const rest2 = chunk.slice(width);
  if (rest2.length === 0) return void 0;
  return { rune, rest: rest2 };
}

// src/core/substitute/funcs.ts
function mapRune(rune, upper) {
  const ch = String.fromCodePoint(rune);
  const mapped = upper ? ch.toUpperCase() : ch.toLowerCase();
  const cp = mapped.codePointAt(0);
  return cp !== void 0 && String.fromCodePoint(cp) === mapped ? cp : rune;
}
function mapAll(s, upper) {
  return runesToBytes(runesOf(s).map((r) => mapRune(r, upper)));
}
function mapFirst(s, upper) {
  if (s === "") return s;
  const { rune, width } = decodeRune(s, 0);
  return encodeRune(mapRune(rune, upper)) + s.slice(width);
}
function atoi(text) {
  const s = fromBytes(text);
  if (!/^[+-]?[0-9]+$/.test(s)) return void 0;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : void 0;
}
function substr(s, args) {
  if (args.length === 0) return s;
  let pos = atoi(args[0]);
  if (pos === void 0) return s;
  if (pos < 0) pos = Math.max(0, s.length + pos);
  if (args.length === 1) return pos < s.length ? s.slice(pos) : "";
  const length = atoi(args[1]);
  if (length === void 0) return s;
  if (pos + length >= s.length) return pos < s.length ? s.slice(pos) : "";
  return s.slice(pos, Math.max(pos, pos + length));
}
function replaceFirst(s, args) {
  if (args.length === 0) return s;
  return goReplace(s, args[0], args[1] ?? "", 1);
}
function replaceAll(s, args) {
  if (args.length === 0) return s;
  return goReplace(s, args[0], args[1] ?? "", -1);
}
function goReplace(s, old, repl, n) {
  if (old === "") {
    const runes = [];
    for (let p = 0; p < s.length; ) {
      const w = decodeRune(s, p).width;
      runes.push(s.slice(p, p + w));
      p += w;
    }
    const limit = n < 0 ? runes.length + 1 : Math.min(n, runes.length + 1);
    let out = "";
    for (let i = 0; i <= runes.length; i++) out += (i < limit ? repl : "") + (runes[i] ?? "");
    return out;
  }
  if (n < 0) return s.split(old).join(repl);
  const at = s.indexOf(old);
  return at < 0 ? s : s.slice(0, at) + repl + s.slice(at + old.length);
}
function replacePrefix(s, args) {
  if (args.length !== 2) return s;
  return s.startsWith(args[0]) ? goReplace(s, args[0], args[1], 1) : s;
}
function replaceSuffix(s, args) {
  if (args.length !== 2) return s;
  const [suffix, repl] = args;
  return s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) + repl : s;
}
function reverse(s) {
  return runesToBytes(runesOf(s).reverse());
}
function trimShortest(s, pattern) {
  let shortest = "";
  for (let i = 0; i < s.length; i++) {
    const candidate = s.slice(0, s.length - i);
    const m = globMatch(pattern, candidate);
    if (m === void 0) return s;
    if (m) shortest = candidate;
  }
  return shortest !== "" && s.startsWith(shortest) ? s.slice(shortest.length) : s;
}
function trimLongest(s, pattern) {
  for (let i = 0; i < s.length; i++) {
    const candidate = s.slice(0, s.length - i);
    const m = globMatch(pattern, candidate);
    if (m === void 0) return s;
    if (m) return s.slice(candidate.length);
  }
  return s;
}
function trimPrefixWith(trim) {
  return (s, args) => args.length === 0 ? s : trim(s, args[0]);
}
function trimSuffixWith(trim) {
  return (s, args) => args.length === 0 ? s : reverse(trim(reverse(s), reverse(args[0])));
}
var toDefault = (s, args) => s.length === 0 && args.length > 0 ? args.join("") : s;
function lookupFunc(name, argCount) {
  switch (name) {
    case ",":
      return (s) => mapFirst(s, false);
    case ",,":
      return (s) => mapAll(s, false);
    case "^":
      return (s) => mapFirst(s, true);
    case "^^":
      return (s) => mapAll(s, true);
    case "#":
      return argCount === 0 ? (s) => toBytes(String(s.length)) : trimPrefixWith(trimShortest);
    case "##":
      return trimPrefixWith(trimLongest);
    case "%":
      return trimSuffixWith(trimShortest);
    case "%%":
      return trimSuffixWith(trimLongest);
    case ":":
      return substr;
    case "/#":
      return replacePrefix;
    case "/%":
      return replaceSuffix;
    case "/":
      return replaceFirst;
    case "//":
      return replaceAll;
    default:
      return toDefault;
  }
}
function isDefaultOperator(name) {
  return ["-", "+", "=", "?", ":-", ":+", ":=", ":?"].includes(name);
}

// src/core/substitute/scanner.ts
var EOF = 0;
var MODE = Object.freeze({ ident: 1, lbrack: 2, rbrack: 4, escape: 8 });
var ESC = Object.freeze({ dollar: 1, backslash: 2, all: 3 });
var DOLLAR = 36;
var LBRACE = 123;
var RBRACE = 125;
var BACKSLASH = 92;
var SLASH = 47;
var Scanner = class {
  buf;
  pos = 0;
  start = 0;
  width = 0;
  mode = 0;
  escapeChars = 0;
  accept = () => true;
  constructor(buf) {
    this.buf = buf;
  }
  read() {
    if (this.pos >= this.buf.length) {
      this.width = 0;
      return EOF;
    }
    const { rune, width } = decodeRune(this.buf, this.pos);
    this.width = width;
    this.pos += width;
    return rune;
  }
  unread() {
    this.pos -= this.width;
  }
  peek() {
    const r = this.read();
    this.unread();
    return r;
  }
  /** The text of the token just scanned. */
  text() {
    return this.buf.slice(this.start, this.pos);
  }
  scan() {
    this.start = this.pos;
    const r = this.read();
    if (r === EOF) return "eof";
    if (this.scanLbrack(r)) return "lbrack";
    if (this.scanRbrack(r)) return "rbrack";
    if (this.scanIdent(r)) return "ident";
    return "illegal";
  }
  /** Drops the byte just read (the first byte of an escape pair) without moving `pos`. */
  skip() {
    this.buf = this.buf.slice(0, this.pos - 1) + this.buf.slice(this.pos);
  }
  scanIdent(first) {
    if (!(this.mode & MODE.ident)) return false;
    if (this.scanEscaped(first)) this.skip();
    else if (!this.accept(first, this.pos - this.start)) return false;
    for (; ; ) {
      const r = this.read();
      if (r === EOF) {
        this.unread();
        return true;
      }
      if (this.scanLbrack(r)) {
        this.unread();
        this.unread();
        return true;
      }
      if (this.scanEscaped(r)) {
        this.skip();
        continue;
      }
      if (!this.accept(r, this.pos - this.start)) {
        this.unread();
        return true;
      }
    }
  }
  scanLbrack(r) {
    if (!(this.mode & MODE.lbrack) || r !== DOLLAR) return false;
    if (this.read() === LBRACE) return true;
    this.unread();
    return false;
  }
  scanRbrack(r) {
    return (this.mode & MODE.rbrack) !== 0 && r === RBRACE;
  }
  scanEscaped(r) {
    if (!(this.mode & MODE.escape)) return false;
    if (r === DOLLAR && this.escapeChars & ESC.dollar && this.peek() === DOLLAR) return true;
    if (r === BACKSLASH && this.escapeChars & ESC.backslash) {
      const next = this.peek();
      return next === SLASH || next === BACKSLASH;
    }
    return false;
  }
};

// src/core/substitute/parse.ts
var PARSE_ERRORS = Object.freeze({
  badSubstitution: "bad substitution",
  missingClosingBrace: "missing closing brace",
  variableName: "unable to parse variable name",
  funcSubstitution: "unable to parse substitution within function",
  defaultFunction: "unable to parse default function"
});
var ParseError = class extends Error {
};
function fail(message) {
  throw new ParseError(message);
}
var isLetterOrDigit = /^[\p{L}\p{Nd}_]$/u;
var acceptRune = () => true;
var acceptIdent = (r) => r !== 0 && isLetterOrDigit.test(String.fromCodePoint(r));
var acceptColon = (r) => r === 58;
var acceptOneHash = (r, i) => r === 35 && i === 1;
var acceptNotClosing = (r) => r !== 125;
var acceptHashFunc = (r, i) => r === 35 && i < 3;
var acceptPercentFunc = (r, i) => r === 37 && i < 3;
var acceptOneEqual = (r, i) => i === 1 && r === 61;
var acceptOneColon = (r, i) => i === 1 && r === 58;
var rejectColonClose = (r) => r !== 58 && r !== 125;
var acceptSlash = (r) => r === 47;
var acceptNotSlash = (r) => r !== 47;
var acceptCasingFunc = (r, i) => (r === 44 || r === 94) && i < 3;
var acceptDefaultFunc = (r, i) => i === 1 && r === 58 || i === 2 && (r === 61 || r === 45 || r === 63 || r === 43);
var acceptReplaceFunc = (r, i) => i === 1 && r === 47 || i === 2 && (r === 47 || r === 35 || r === 37);
function parseTemplate(bytes) {
  const p = new Parser(new Scanner(bytes));
  try {
    return { ok: true, root: p.parseAny() };
  } catch (err) {
    if (err instanceof ParseError) return { ok: false, error: err.message };
    throw err;
  }
}
var Parser = class {
  constructor(s) {
    this.s = s;
  }
  s;
  /** Top level: text and `${…}` until end of input (Go recurses; a loop is equivalent). */
  parseAny() {
    const nodes = [];
    for (; ; ) {
      const s = this.s;
      s.accept = acceptRune;
      s.mode = MODE.ident | MODE.lbrack | MODE.escape;
      s.escapeChars = ESC.dollar;
      const tok = s.scan();
      if (tok === "eof") break;
      if (tok === "ident") nodes.push({ type: "text", value: s.text() });
      else if (tok === "lbrack") nodes.push(this.parseFunc());
      else fail(PARSE_ERRORS.badSubstitution);
    }
    return nodes.length === 1 ? nodes[0] : { type: "list", nodes };
  }
  parseFunc() {
    const s = this.s;
    s.escapeChars = ESC.all;
    if (s.peek() === 35) return this.parseLenFunc();
    s.accept = acceptIdent;
    s.mode = MODE.ident;
    if (s.scan() !== "ident") fail(PARSE_ERRORS.variableName);
    const name = s.text();
    switch (s.peek()) {
      case 58:
        return this.parseDefaultOrSubstr(name);
      case 61:
        return this.parseDefaultFunc(name);
      case 44:
      case 94:
        return this.parseSimpleOperator(name, acceptCasingFunc, false);
      case 47:
        return this.parseReplaceFunc(name);
      case 35:
        return this.parseSimpleOperator(name, acceptHashFunc, true);
      case 37:
        return this.parseSimpleOperator(name, acceptPercentFunc, true);
    }
    s.accept = acceptIdent;
    s.mode = MODE.rbrack;
    if (s.scan() !== "rbrack") fail(PARSE_ERRORS.missingClosingBrace);
    return { type: "func", param: name, name: "", args: [] };
  }
  /** One argument: literal text (as the accept function allows) or a nested `${…}`. */
  parseParam(accept, mode) {
    const s = this.s;
    s.accept = accept;
    s.mode = mode | MODE.lbrack;
    const tok = s.scan();
    if (tok === "lbrack") return this.parseFunc();
    if (tok === "ident" || tok === "rbrack") return { type: "text", value: s.text() };
    return fail(PARSE_ERRORS.funcSubstitution);
  }
  /** Scans the operator token; `${v^}` … take no argument, `${v#p}` … take one. */
  scanOperator(accept, error) {
    const s = this.s;
    s.accept = accept;
    s.mode = MODE.ident;
    if (s.scan() !== "ident") fail(error);
    return s.text();
  }
  parseDefaultOrSubstr(name) {
    const s = this.s;
    s.read();
    const r = s.peek();
    s.unread();
    if (r === 61 || r === 45 || r === 63 || r === 43) return this.parseDefaultFunc(name);
    return this.parseSubstrFunc(name);
  }
  parseSubstrFunc(param) {
    const s = this.s;
    const node = { type: "func", param, name: this.scanOperator(acceptOneColon, PARSE_ERRORS.badSubstitution), args: [] };
    node.args.push(this.parseParam(rejectColonClose, MODE.ident));
    s.accept = acceptColon;
    s.mode = MODE.ident | MODE.rbrack;
    const tok = s.scan();
    if (tok === "rbrack") return node;
    if (tok !== "ident") fail(PARSE_ERRORS.badSubstitution);
    node.args.push(this.parseParam(acceptNotClosing, MODE.ident));
    this.consumeRbrack();
    return node;
  }
  parseSimpleOperator(param, accept, takesArg) {
    const node = { type: "func", param, name: this.scanOperator(accept, PARSE_ERRORS.badSubstitution), args: [] };
    if (takesArg) node.args.push(this.parseParam(acceptNotClosing, MODE.ident));
    this.consumeRbrack();
    return node;
  }
  parseReplaceFunc(param) {
    const s = this.s;
    const node = { type: "func", param, name: this.scanOperator(acceptReplaceFunc, PARSE_ERRORS.badSubstitution), args: [] };
    node.args.push(this.parseParam(acceptNotSlash, MODE.ident | MODE.escape));
    this.scanOperator(acceptSlash, PARSE_ERRORS.badSubstitution);
    if (s.peek() === 125) {
      this.consumeRbrack();
      return node;
    }
    node.args.push(this.parseParam(acceptNotClosing, MODE.ident | MODE.escape));
    this.consumeRbrack();
    return node;
  }
  parseDefaultFunc(param) {
    const s = this.s;
    const accept = s.peek() === 61 ? acceptOneEqual : acceptDefaultFunc;
    const node = { type: "func", param, name: this.scanOperator(accept, PARSE_ERRORS.defaultFunction), args: [] };
    while (s.peek() !== 125) node.args.push(this.parseParam(acceptNotClosing, MODE.ident));
    this.consumeRbrack();
    return node;
  }
  parseLenFunc() {
    const name = this.scanOperator(acceptOneHash, PARSE_ERRORS.badSubstitution);
    const param = this.scanOperator(acceptIdent, PARSE_ERRORS.badSubstitution);
    this.consumeRbrack();
    return { type: "func", param, name, args: [] };
  }
  consumeRbrack() {
    this.s.mode = MODE.rbrack;
    if (this.s.scan() !== "rbrack") fail(PARSE_ERRORS.badSubstitution);
  }
};

// src/core/substitute/envsubst.ts
var VAR_NOT_SET = "variable not set (strict mode)";
var EvalError = class extends Error {
};
function envsubst(text, vars, opts) {
  const parsed = parseTemplate(toBytes(text));
  if (!parsed.ok) return parsed;
  const lookup = (name) => {
    const key = fromBytes(name);
    const exists = Object.prototype.hasOwnProperty.call(vars, key);
    return { value: exists ? toBytes(vars[key]) : "", exists: exists || !opts.strict };
  };
  try {
    return { ok: true, text: fromBytes(evaluate(parsed.root, lookup)) };
  } catch (err) {
    if (err instanceof EvalError) return { ok: false, error: err.message };
    throw err;
  }
}
function evaluate(node, lookup) {
  switch (node.type) {
    case "text":
      return node.value;
    case "list":
      return node.nodes.map((n) => evaluate(n, lookup)).join("");
    case "func": {
      const args = node.args.map((n) => evaluate(n, lookup));
      const { value, exists } = lookup(node.param);
      if (!exists && !isDefaultOperator(node.name)) {
        throw new EvalError(`${VAR_NOT_SET}: ${JSON.stringify(fromBytes(node.param))}`);
      }
      return lookupFunc(node.name, args.length)(value, args);
    }
  }
}

// src/core/substitute/read-yaml11.ts
import { parseAllDocuments as parseAllDocuments2 } from "yaml";

// src/adapters/cli/commands/substitute.ts
var usage2 = `Usage: fluxgate substitute --vars VARS.json [--strict] FILE

Prints FILE after Flux postBuild variable substitution (the envsubst step of
kustomize-controller) with the variables of VARS.json (a JSON object of strings).

Options:
  --vars FILE   JSON object: variable name -> string value (required)
  --strict      fail on a variable missing from VARS.json (StrictPostBuildSubstitutions)

Exit codes: 0 printed, 1 substitution failed (Flux's error on stderr), 2 usage error.
`;
function parseVars(text, file) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`${file}: not valid JSON`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new UsageError(`${file}: must be a JSON object`);
  const vars = {};
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== "string") throw new UsageError(`${file}: value of '${k}' must be a string`);
    vars[k] = v;
  }
  return vars;
}
async function readText2(path) {
  try {
    return await readFile2(path, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${err.code ?? String(err)}`);
  }
}
var command2 = {
  name: "substitute",
  summary: "Flux postBuild substitution of a file",
  usage: usage2,
  async run(argv, io2) {
    let parsed;
    try {
      parsed = parseArgs2({ args: argv, options: { vars: { type: "string" }, strict: { type: "boolean", default: false } }, allowPositionals: true });
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    const { values, positionals } = parsed;
    if (!values.vars) throw new UsageError("--vars VARS.json is required");
    if (positionals.length !== 1) throw new UsageError("exactly one FILE is required");
    const vars = parseVars(await readText2(resolve2(io2.cwd, values.vars)), values.vars);
    const text = await readText2(resolve2(io2.cwd, positionals[0]));
    const result = envsubst(text, vars, { strict: values.strict === true });
    if (!result.ok) {
      io2.stderr(`fluxgate substitute: variable substitution failed: ${result.error}
`);
      return EXIT.failed;
    }
    io2.stdout(result.text);
    return EXIT.ok;
  }
};
var substitute_default = command2;

// ../../tmp/fg-entry.ts
var [which, ...rest] = process.argv.slice(2);
var io = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env, cwd: process.cwd(), isTty: false };
var cmd = which === "select" ? images_select_default : substitute_default;
try {
  process.exitCode = await cmd.run(rest, io);
} catch (e) {
  process.stderr.write(String(e) + "\n");
  process.exitCode = 2;
}
