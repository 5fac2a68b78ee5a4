import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { functions, numberToString, type FunctionContext } from "../../src/terraform/functions/index.js";
import { Failure, ObjectValue, Unknown, toJSONView, unknown, type Value } from "../../src/terraform/values.js";

const ctx: FunctionContext = { baseDir: "/nonexistent", readFile: () => undefined };

function call(name: string, ...args: Value[]): Value {
  const fn = functions[name];
  if (!fn) throw new Error(`no function ${name}`);
  return fn(args, ctx);
}

/** The plain-JSON view of a call's result, for deep comparison. */
function run(name: string, ...args: Value[]): unknown {
  return toJSONView(call(name, ...args));
}

const obj = (r: Record<string, Value>): ObjectValue => ObjectValue.from(r);
const U = (what = "var.x"): Unknown => unknown("variable", what);
/** A partly known string: pieces with unknown stretches. */
const partial = (...pieces: Array<string | Unknown>): Unknown => new Unknown("dynamic", pieces);

function expectFailure(v: Value, match?: RegExp): void {
  expect(v).toBeInstanceOf(Failure);
  if (match) expect((v as Failure).message).toMatch(match);
}
function expectUnknown(v: Value): Unknown {
  expect(v).toBeInstanceOf(Unknown);
  return v as Unknown;
}
/** The pieces of a partly known string, unknowns as "?". */
function pieces(v: Value): Array<string> {
  const u = expectUnknown(v);
  expect(u.template).toBeDefined();
  return (u.template ?? []).map((p) => (typeof p === "string" ? p : "?"));
}

describe("the default unknown and failure rules", () => {
  it("an unknown argument gives an unknown naming the call", () => {
    const u = expectUnknown(call("base64encode", U()));
    expect(u.what).toBe("base64encode(…)");
  });
  it("a Failure argument is returned as is", () => {
    const f = new Failure("boom");
    expect(call("upper", f)).toBe(f);
    expect(call("merge", obj({}), f)).toBe(f);
    expect(call("format", "%s", f)).toBe(f);
  });
  it("a wrong number of arguments is a failure", () => {
    expectFailure(call("upper"), /expects 1 argument/);
    expectFailure(call("lookup", obj({})), /expects 2 to 3 arguments/);
  });
  it("a wrong argument type is a failure with a clear message", () => {
    expectFailure(call("upper", [1]), /must be a string, not tuple/);
    expectFailure(call("length", null), /must not be null/);
    expectFailure(call("keys", ["a"]), /map or object/);
  });
});

describe("jsonencode", () => {
  it("renders like Terraform: sorted keys, compact, HTML-safe escapes, plain numbers", () => {
    expect(call("jsonencode", obj({ b: 1, a: "x" }))).toBe('{"a":"x","b":1}');
    expect(call("jsonencode", ["<a>&", 1.5, true, null])).toBe('["\\u003ca\\u003e\\u0026",1.5,true,null]');
    expect(call("jsonencode", 1e21)).toBe("1000000000000000000000");
    expect(call("jsonencode", 1e-7)).toBe("0.0000001");
    expect(call("jsonencode", "a\nb\t\"\\\u0001\u2028")).toBe('"a\\nb\\t\\"\\\\\\u0001\\u2028"');
    expect(call("jsonencode", obj({ Statement: [obj({ Effect: "Allow", Action: ["s3:*"] })] }))).toBe(
      '{"Statement":[{"Action":["s3:*"],"Effect":"Allow"}]}',
    );
  });
  it("keeps a partly known value in `json`", () => {
    const v = obj({ user: U(), host: "db" });
    const u = expectUnknown(call("jsonencode", v));
    expect(u.json).toBe(v);
    expect(u.template).toBeUndefined();
  });
  it("keeps a partly known string in `json` too, so jsondecode gets it back", () => {
    const p = partial("arn:", U());
    expect(expectUnknown(call("jsonencode", p)).json).toBe(p);
    expect(call("jsondecode", call("jsonencode", p))).toBe(p);
  });
  it("a wholly unknown value gives a plain unknown; a nested failure propagates", () => {
    expect(expectUnknown(call("jsonencode", U())).json).toBeUndefined();
    const f = new Failure("inner");
    expect(call("jsonencode", obj({ a: [f] }))).toBe(f);
  });
});

describe("jsondecode", () => {
  it("decodes a known string", () => {
    expect(run("jsondecode", '{"b":[1,"x",null],"a":true}')).toEqual({ a: true, b: [1, "x", null] });
    expect(call("jsondecode", '"hi"')).toBe("hi");
  });
  it("round-trips a partly known jsonencode result", () => {
    const v = obj({ user: U() });
    expect(call("jsondecode", call("jsonencode", v))).toBe(v);
  });
  it("is unknown for other unknowns, a failure for invalid JSON", () => {
    expectUnknown(call("jsondecode", U()));
    expectUnknown(call("jsondecode", partial("{", U())));
    expectFailure(call("jsondecode", "{nope"), /not valid JSON/);
    // The message never quotes the input, which may be a secret value.
    const f = call("jsondecode", "hunter2-canary");
    expect(JSON.stringify(f)).not.toContain("hunter2");
  });
});

describe("format", () => {
  it("follows the documented verbs", () => {
    expect(call("format", "Hello, %s!", "Ander")).toBe("Hello, Ander!");
    expect(call("format", "There are %d lights", 4)).toBe("There are 4 lights");
    expect(call("format", "%#v", "hello")).toBe('"hello"');
    expect(call("format", "%#v", obj({ a: 1 }))).toBe('{"a":1}');
    expect(call("format", "%#v", null)).toBe("null");
    expect(call("format", "%v", [true])).toBe("[true]");
    expect(call("format", "%v %v %v", "s", 2, false)).toBe("s 2 false");
    expect(call("format", "100%%")).toBe("100%");
    expect(call("format", "%[2]s %[1]s", "a", "b")).toBe("b a");
    expect(call("format", "%t", "false")).toBe("false");
  });
  it("formats numbers like Go", () => {
    expect(call("format", "%5d|%-5d|%05d|%+d", 10, 10, 10, 10)).toBe("   10|10   |00010|+10");
    expect(call("format", "%b %o %x %X %#x", 5, 9, 254, 254, 254)).toBe("101 11 fe FE 0xfe");
    expect(call("format", "%f", 10)).toBe("10.000000");
    expect(call("format", "%.2f", 3.14159)).toBe("3.14");
    expect(call("format", "%8.2f|", -3.14159)).toBe("   -3.14|");
    expect(call("format", "%e %E", 1000, 1000)).toBe("1.000000e+03 1.000000E+03");
    expect(call("format", "%g %g %G", 1000, 0.00000000000000000000001, 1e-23)).toBe("1000 1e-23 1E-23");
    expect(call("format", "%v", 1000000)).toBe("1e+06");
    expect(call("format", "%v", 0.5)).toBe("0.5");
  });
  it("pads and truncates strings by characters", () => {
    expect(call("format", "%10s|%-10s|", "hello", "hello")).toBe("     hello|hello     |");
    expect(call("format", "%.2s %4.2s %.5s", "hello", "hello", "日本語日本語")).toBe("he   he 日本語日本");
    expect(call("format", "%q", "Hello\nWorld")).toBe('"Hello\\nWorld"');
  });
  it("fails like cty on bad specs and arguments", () => {
    expectFailure(call("format", "%s"), /not enough arguments/);
    expectFailure(call("format", "%d", 1.5), /integer is required/);
    expectFailure(call("format", "%d", true), /number required/);
    expectFailure(call("format", "%s", null), /null value cannot be formatted/);
    expectFailure(call("format", "%s", ["a"]), /string required/);
    expectFailure(call("format", "%z", 1), /unsupported format verb 'z'/);
    expectFailure(call("format", "%z", U()), /unsupported format verb 'z'/);
    expectFailure(call("format", "%[0]s", 1), /unrecognized format character '0' at offset 2/);
    expectFailure(call("format", "no verbs", 1), /no verbs in format string/);
    expectFailure(call("format", "%d", 1, 2), /only 1 used/);
  });
  it("keeps known text around unknown arguments", () => {
    const v = call("format", "arn:aws:secretsmanager:%s:%s:secret:*", "us-east-1", U("data.aws_caller_identity.current.account_id"));
    expect(pieces(v)).toEqual(["arn:aws:secretsmanager:us-east-1:", "?", ":secret:*"]);
    expect(pieces(call("format", "x-%s-y", partial("a", U(), "b")))).toEqual(["x-a", "?", "b-y"]);
    expect(pieces(call("format", "%05d!", U()))).toEqual(["?", "!"]);
    expectUnknown(call("format", U(), "a"));
  });
});

describe("formatlist", () => {
  it("formats element-wise", () => {
    expect(run("formatlist", "Hello, %s!", ["Valentina", "Ander"])).toEqual(["Hello, Valentina!", "Hello, Ander!"]);
    expect(run("formatlist", "%s, %s!", "Salutations", ["Valentina", "Ander"])).toEqual(["Salutations, Valentina!", "Salutations, Ander!"]);
    expectFailure(call("formatlist", "%s %s", ["a", "b"], ["c"]), /inconsistent/);
  });
  it("is unknown when an argument might be a list of unknown length", () => {
    expectUnknown(call("formatlist", "%s", U()));
    expect(pieces((call("formatlist", "a-%s", [U()]) as Value[])[0])).toEqual(["a-", "?"]);
  });
});

describe("join and split", () => {
  it("follow the docs", () => {
    expect(call("join", "-", ["foo", "bar", "baz"])).toBe("foo-bar-baz");
    expect(call("join", ", ", ["foo"])).toBe("foo");
    expect(call("join", ",", ["a"], ["b", 1])).toBe("a,b,1");
    expect(call("split", ",", "foo,bar,baz")).toEqual(["foo", "bar", "baz"]);
    expect(call("split", ",", "foo")).toEqual(["foo"]);
    expect(call("split", ",", "")).toEqual([""]);
  });
  it("join keeps known text around unknown elements", () => {
    expect(pieces(call("join", ":", ["arn", "aws", "secretsmanager", "us-east-1", U(), "secret:*"]))).toEqual([
      "arn:aws:secretsmanager:us-east-1:",
      "?",
      ":secret:*",
    ]);
    expectUnknown(call("join", ",", U()));
    expectUnknown(call("join", U(), ["a", "b"]));
  });
  it("fail on nulls and non-lists", () => {
    expectFailure(call("join", ",", ["a", null]), /null/);
    expectFailure(call("join", ",", "a"), /list/);
    expectUnknown(call("split", ",", partial("a,", U())));
  });
});

describe("case functions", () => {
  it("follow the docs", () => {
    expect(call("lower", "HELLO")).toBe("hello");
    expect(call("upper", "hello")).toBe("HELLO");
    expect(call("upper", "алло!")).toBe("АЛЛО!");
    expect(call("title", "hello world")).toBe("Hello World");
    expect(call("title", "o'neil-smith x_y")).toBe("O'Neil-Smith X_y");
  });
  it("map the known pieces and keep the unknown ones", () => {
    expect(pieces(call("lower", partial("ARN:", U(), ":X")))).toEqual(["arn:", "?", ":x"]);
    expect(pieces(call("upper", partial("a-", U())))).toEqual(["A-", "?"]);
    expect(pieces(call("title", partial("hello ", U(), " world")))).toEqual(["Hello ", "?", " World"]);
    // Whether "x" starts a word depends on the unknown text before it.
    expectUnknown(call("title", partial("a", U(), "x")));
  });
});

describe("replace", () => {
  it("replaces text and regular expressions", () => {
    expect(call("replace", "1 + 2 + 3", "+", "-")).toBe("1 - 2 - 3");
    expect(call("replace", "hello world", "/w.*d/", "everybody")).toBe("hello everybody");
    expect(call("replace", "hello world", "/(h)(e)/", "$2$1")).toBe("ehllo world");
    expect(call("replace", "abc", "/b*/", "-")).toBe("-a-c-");
    expect(call("replace", "abc", "", "-")).toBe("-a-b-c-");
  });
  it("replaces inside known pieces when no match can cross into an unknown one", () => {
    expect(pieces(call("replace", partial("a/b/", U(), "/c"), "/", ":"))).toEqual(["a:b:", "?", ":c"]);
    // "ab" then unknown: a match of "bc" could start at the "b".
    expectUnknown(call("replace", partial("ab", U()), "bc", "x"));
    expectUnknown(call("replace", partial("ab", U()), "/b/", "x"));
    expect(pieces(call("replace", "a-b", "-", U()))).toEqual(["a", "?", "b"]);
  });
});

describe("prefixes and suffixes", () => {
  it("trimprefix / trimsuffix", () => {
    expect(call("trimprefix", "helloworld", "hello")).toBe("world");
    expect(call("trimprefix", "helloworld", "cat")).toBe("helloworld");
    expect(call("trimsuffix", "helloworld", "world")).toBe("hello");
    expect(pieces(call("trimprefix", partial("arn:aws:", U()), "arn:"))).toEqual(["aws:", "?"]);
    expect(pieces(call("trimsuffix", partial("a/", U(), "b.json"), ".json"))).toEqual(["a/", "?", "b"]);
    expectUnknown(call("trimsuffix", partial(U(), ".json"), ".json"));
    expectUnknown(call("trimprefix", partial("ar", U()), "arn:"));
    expect(pieces(call("trimprefix", partial("xyz", U()), "arn:"))).toEqual(["xyz", "?"]);
  });
  it("startswith / endswith / strcontains decide on the known part", () => {
    expect(call("startswith", "hello world", "hello")).toBe(true);
    expect(call("startswith", "hello world", "world")).toBe(false);
    expect(call("endswith", "hello world", "world")).toBe(true);
    expect(call("strcontains", "hello world", "wor")).toBe(true);
    expect(call("strcontains", "hello world", "wod")).toBe(false);
    expect(call("startswith", partial("arn:aws:", U()), "arn:")).toBe(true);
    expect(call("startswith", partial("arn:aws:", U()), "xyz")).toBe(false);
    expectUnknown(call("startswith", partial("ar", U()), "arn:"));
    expect(call("endswith", partial(U(), ":secret:*"), "*")).toBe(true);
    expectUnknown(call("endswith", U(), "*"));
    expect(call("strcontains", partial("a", U(), "secret"), "sec")).toBe(true);
    expectUnknown(call("strcontains", partial("a", U()), "sec"));
  });
});

describe("other string functions", () => {
  it("substr counts characters", () => {
    expect(call("substr", "hello world", 1, 4)).toBe("ello");
    expect(call("substr", "🤔🤷", 0, 1)).toBe("🤔");
    expect(call("substr", "hello world", -5, -1)).toBe("world");
    expect(call("substr", "hello world", 6, 10)).toBe("world");
    expect(call("substr", partial("arn:aws:", U()), 0, 3)).toBe("arn");
    expectUnknown(call("substr", partial("arn:", U()), 2, 5));
  });
  it("trimspace, trim, chomp, indent, strrev", () => {
    expect(call("trimspace", "  hello\n\n")).toBe("hello");
    expect(call("trim", "?!hello?!", "!?")).toBe("hello");
    expect(call("chomp", "hello\r\n\n")).toBe("hello");
    expect(call("indent", 2, "[\n  foo,\n]")).toBe("[\n    foo,\n  ]");
    expect(call("strrev", "hello")).toBe("olleh");
    expect(pieces(call("trimspace", partial("  a", U(), "b  ")))).toEqual(["a", "?", "b"]);
    expect(pieces(call("indent", 2, partial("a\n", U())))).toEqual(["a\n  ", "?"]);
  });
  it("length counts characters of strings and elements of collections", () => {
    expect(call("length", "hello")).toBe(5);
    expect(call("length", "🤷‍♂️x")).toBe(2);
    expect(call("length", [1, 2])).toBe(2);
    expect(call("length", obj({ a: 1 }))).toBe(1);
    expect(call("length", [U(), U()])).toBe(2);
    expect(call("length", obj({ a: U() }))).toBe(1);
    expectUnknown(call("length", partial("a", U())));
    expectUnknown(call("length", U()));
  });
});

describe("regex and regexall", () => {
  it("return the match, the captures or the named captures", () => {
    expect(call("regex", "[a-z]+", "53453453.345345aaabbbccc23454")).toBe("aaabbbccc");
    expect(call("regex", "(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", "2019-02-01")).toEqual(["2019", "02", "01"]);
    expect(run("regex", "^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?", "https://terraform.io/docs/")).toEqual({
      authority: "terraform.io",
      scheme: "https",
    });
    expect(call("regex", "(a)|(b)", "b")).toEqual([null, "b"]);
    expectFailure(call("regex", "[a-z]+", "123"), /did not match/);
  });
  it("regexall lists every match", () => {
    expect(call("regexall", "[a-z]+", "1234abcd5678efgh9")).toEqual(["abcd", "efgh"]);
    expect(call("length", call("regexall", "[a-z]+", "123"))).toBe(0);
    expect(call("regexall", "a*", "baaa")).toEqual(["", "aaa"]);
  });
  it("translates RE2 syntax", () => {
    expect(call("regex", "(?i)^ARN:", "arn:aws")).toBe("arn:");
    expect(call("regex", "[[:digit:]]+", "ab12")).toBe("12");
    expect(call("regex", "\\Qa.b\\E", "xa.b")).toBe("a.b");
    expect(call("regex", "a\\-b\\:c", "a-b:c")).toBe("a-b:c");
    expect(call("regex", "\\pL+", "12héllo")).toBe("héllo");
    expectFailure(call("regex", "a(?=b)", "ab"), /invalid or unsupported Perl syntax/);
    expectFailure(call("regex", "a\\C", "ab"), /invalid escape sequence/);
  });
  it("reads RE2 syntax that JavaScript reads otherwise or not at all", () => {
    // A `{` that is not a repetition is a literal to RE2 (growit-io/terragrunt-aws-poc's sources).
    expect(call("regex", "^\\${get_env\\(\"([^\"]+)\"", '${get_env("TG_ENV")}')).toEqual(["TG_ENV"]);
    expect(call("regex", "{x}", "a{x}")).toBe("{x}");
    expect(call("regex", "a{,2}", "a{,2}")).toBe("a{,2}");
    expect(call("regex", "a{2}", "aaa")).toBe("aa");
    expect(call("regex", "(?U)a+", "aaa")).toBe("a");
    expect(call("regex", "(?i:a)b", "Ab")).toBe("Ab");
    expect(call("regex", "é(.)", "xé😀z")).toEqual(["😀"]);
    expect(run("regex", "(?<year>\\d{4})", "in 2024")).toEqual({ year: "2024" });
    expectFailure(call("regex", "(?P<a>x)(y)", "xy"), /all named or all unnamed/);
    expect(call("regexall", "\\z", "ab")).toEqual([""]);
  });
  it("match in time linear in the text, where a backtracking engine would not end", () => {
    const text = "a".repeat(5000) + "!";
    expectFailure(call("regex", "(a+)+$", text), /did not match/);
    expect(call("regexall", "(a|aa)+$", text)).toEqual([]);
    expect(call("replace", text, "/(a*)*b/", "x")).toBe(text);
    expect(call("regex", "(x+x+)+y", "x".repeat(3000) + "y")).toEqual(["x".repeat(3000)]);
  });
  it("give an unknown result past the work budget (program size × text length)", () => {
    const big = "a".repeat(4_000_000);
    expectUnknown(call("regexall", "(a|b|c|d|e|f|g|h|i|j){20}", big));
  });
});

describe("merge", () => {
  it("follows the docs: later arguments win, nulls are skipped", () => {
    expect(run("merge", obj({ a: "b", c: "d" }), obj({ e: "f", c: "z" }))).toEqual({ a: "b", c: "z", e: "f" });
    expect(run("merge", obj({ a: "b" }), null, obj({ e: "f" }))).toEqual({ a: "b", e: "f" });
    expect(run("merge")).toEqual({});
    expectFailure(call("merge", obj({}), ["x"]), /maps or objects/);
  });
  it("keeps known keys whose values are unknown", () => {
    const r = call("merge", obj({ user: U() }), obj({ host: "db" }));
    expect(r).toBeInstanceOf(ObjectValue);
    expect((r as ObjectValue).keys()).toEqual(["host", "user"]);
    expect((r as ObjectValue).get("user")).toBeInstanceOf(Unknown);
  });
  it("is unknown when an argument is unknown", () => {
    expectUnknown(call("merge", obj({ a: 1 }), U()));
  });
});

describe("list functions", () => {
  it("concat keeps unknown elements", () => {
    expect(run("concat", ["a", ""], ["b", "c"])).toEqual(["a", "", "b", "c"]);
    const r = call("concat", ["a"], [U()]) as Value[];
    expect(r).toHaveLength(2);
    expect(r[1]).toBeInstanceOf(Unknown);
    expectUnknown(call("concat", ["a"], U()));
    expectFailure(call("concat", ["a"], "b"), /list/);
  });
  it("flatten", () => {
    expect(call("flatten", [["a", "b"], [], ["c"]])).toEqual(["a", "b", "c"]);
    expect(call("flatten", [[["a", "b"], []], ["c"]])).toEqual(["a", "b", "c"]);
    expect(pieces((call("flatten", [["a"], [partial("x", U())]]) as Value[])[1])).toEqual(["x", "?"]);
    // A wholly unknown element might be a list: the length is unknown.
    expectUnknown(call("flatten", [["a"], U()]));
  });
  it("compact", () => {
    expect(call("compact", ["a", "", "b", null, "c"])).toEqual(["a", "b", "c"]);
    expect((call("compact", ["", partial("arn:", U())]) as Value[]).length).toBe(1);
    expectUnknown(call("compact", ["a", U()]));
  });
  it("distinct", () => {
    expect(call("distinct", ["a", "b", "a", "c", "d", "b"])).toEqual(["a", "b", "c", "d"]);
    expect((call("distinct", [partial("a:", U()), partial("b:", U())]) as Value[]).length).toBe(2);
    expectUnknown(call("distinct", ["a", U()]));
  });
  it("element wraps around", () => {
    expect(call("element", ["a", "b", "c"], 1)).toBe("b");
    expect(call("element", ["a", "b", "c"], 3)).toBe("a");
    expect(call("element", ["a", U()], 1)).toBeInstanceOf(Unknown);
    expectFailure(call("element", [], 0), /empty/);
    expectFailure(call("element", ["a"], -1), /negative/);
    expectUnknown(call("element", ["a"], U()));
  });
  it("contains and index", () => {
    expect(call("contains", ["a", "b", "c"], "a")).toBe(true);
    expect(call("contains", ["a", "b", "c"], "d")).toBe(false);
    expect(call("contains", ["1", "2"], 1)).toBe(true);
    expect(call("contains", ["a", U()], "a")).toBe(true);
    expectUnknown(call("contains", ["a", U()], "b"));
    expect(call("contains", [partial("arn:", U())], "*")).toBe(false);
    expect(call("index", ["a", "b", "c"], "b")).toBe(1);
    expectFailure(call("index", ["a"], "z"), /not found/);
    expectUnknown(call("index", [U(), "b"], "b"));
  });
  it("coalesce and coalescelist", () => {
    expect(call("coalesce", "a", "b")).toBe("a");
    expect(call("coalesce", "", "b")).toBe("b");
    expect(call("coalesce", 1, 2)).toBe(1);
    expect(call("coalesce", null, 2)).toBe(2);
    expect(call("coalesce", "", 1)).toBe("1");
    expectUnknown(call("coalesce", U(), "b"));
    expect(call("coalesce", "", partial("x", U()), "b")).toBeInstanceOf(Unknown);
    expect(pieces(call("coalesce", "", partial("x", U()), "b"))).toEqual(["x", "?"]);
    expect(call("coalesce", "a", U())).toBe("a");
    expectFailure(call("coalesce", null, ""), /no non-null/);
    expect(call("coalescelist", ["a", "b"], ["c", "d"])).toEqual(["a", "b"]);
    expect(call("coalescelist", [], ["c", "d"])).toEqual(["c", "d"]);
    expectUnknown(call("coalescelist", [], U()));
  });
  it("one", () => {
    expect(call("one", [])).toBe(null);
    expect(call("one", ["hello"])).toBe("hello");
    expectFailure(call("one", ["a", "b"]), /zero or one/);
  });
  it("lookup", () => {
    expect(call("lookup", obj({ a: "ay", b: "bee" }), "a", "what?")).toBe("ay");
    expect(call("lookup", obj({ a: "ay", b: "bee" }), "c", "what?")).toBe("what?");
    expect(call("lookup", obj({ a: U() }), "a")).toBeInstanceOf(Unknown);
    expectFailure(call("lookup", obj({}), "c"), /no attribute "c"/);
    expectUnknown(call("lookup", U(), "a", "x"));
    expectFailure(call("lookup", ["a"], "a", "x"), /map or object/);
  });
  it("keys, values, zipmap", () => {
    expect(call("keys", obj({ c: 3, a: 1, b: 2 }))).toEqual(["a", "b", "c"]);
    expect(call("values", obj({ c: 3, a: 1, b: 2 }))).toEqual([1, 2, 3]);
    expect(call("keys", obj({ a: U() }))).toEqual(["a"]);
    expectUnknown(call("keys", U()));
    expect(run("zipmap", ["a", "b"], [1, 2])).toEqual({ a: 1, b: 2 });
    expect(run("zipmap", ["a", "a"], [1, 2])).toEqual({ a: 2 });
    expectFailure(call("zipmap", ["a"], []), /does not match/);
  });
  it("slice, reverse, sort, chunklist", () => {
    expect(call("slice", ["a", "b", "c", "d"], 1, 3)).toEqual(["b", "c"]);
    expectFailure(call("slice", ["a"], 0, 2), /length/);
    expect(call("reverse", [1, 2, 3])).toEqual([3, 2, 1]);
    expect(call("sort", ["e", "d", "a", "x"])).toEqual(["a", "d", "e", "x"]);
    expect(call("sort", [10, 9, 1])).toEqual(["1", "10", "9"]);
    expectUnknown(call("sort", ["a", U()]));
    expect(call("chunklist", ["a", "b", "c", "d", "e"], 2)).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    expect(call("chunklist", ["a", "b"], 0)).toEqual([["a", "b"]]);
  });
  it("alltrue, anytrue", () => {
    expect(call("alltrue", ["true", true])).toBe(true);
    expect(call("alltrue", [true, false])).toBe(false);
    expect(call("alltrue", [])).toBe(true);
    expect(call("alltrue", [U(), false])).toBe(false);
    expectUnknown(call("alltrue", [U(), true]));
    expect(call("anytrue", ["true"])).toBe(true);
    expect(call("anytrue", [])).toBe(false);
    expectUnknown(call("anytrue", [U(), false]));
  });
  it("transpose, matchkeys, setproduct", () => {
    expect(run("transpose", obj({ a: ["1", "2"], b: ["2", "3"] }))).toEqual({ "1": ["a"], "2": ["a", "b"], "3": ["b"] });
    expect(call("matchkeys", ["i-123", "i-abc", "i-def"], ["us-west", "us-east", "us-east"], ["us-east"])).toEqual(["i-abc", "i-def"]);
    expect(call("setproduct", ["a", "b"], ["x"])).toEqual([["a", "x"], ["b", "x"]]);
  });
});

describe("sets", () => {
  it("toset dedupes and orders strings lexically", () => {
    expect(call("toset", ["c", "b", "b", "a"])).toEqual(["a", "b", "c"]);
    expect(call("toset", ["a", 1])).toEqual(["1", "a"]);
    expectUnknown(call("toset", ["a", U()]));
    expect((call("toset", ["a", partial("x:", U())]) as Value[]).length).toBe(2);
  });
  it("setunion, setintersection, setsubtract", () => {
    expect(call("setunion", ["a", "b"], ["b", "c"], ["d"])).toEqual(["a", "b", "c", "d"]);
    expect(call("setintersection", ["a", "b"], ["b", "c"], ["b", "d"])).toEqual(["b"]);
    expect(call("setsubtract", ["a", "b", "c"], ["a", "c"])).toEqual(["b"]);
    expectUnknown(call("setsubtract", ["a", "b"], [U()]));
  });
});

describe("type conversions", () => {
  it("tostring, tonumber, tobool", () => {
    expect(call("tostring", 1)).toBe("1");
    expect(call("tostring", true)).toBe("true");
    expect(call("tostring", null)).toBe(null);
    expectFailure(call("tostring", []), /cannot convert/);
    const p = partial("a", U());
    expect(call("tostring", p)).toBe(p);
    expect(call("tonumber", "1.5")).toBe(1.5);
    expect(call("tonumber", 1)).toBe(1);
    expectFailure(call("tonumber", "no"), /cannot convert/);
    expect(call("tobool", "true")).toBe(true);
    expectFailure(call("tobool", "yes"), /cannot convert/);
  });
  it("tomap, tolist unify element types", () => {
    expect(run("tomap", obj({ a: 1, b: "x" }))).toEqual({ a: "1", b: "x" });
    expect(run("tolist", ["a", 1, true])).toEqual(["a", "1", "true"]);
    expectFailure(call("tolist", ["a", ["b"]]), /same type/);
    expectFailure(call("tomap", ["a"]), /cannot convert tuple to map/);
    expectFailure(call("tolist", obj({})), /cannot convert object to list/);
    expect(run("tomap", obj({ a: U() }))).toEqual({ a: { $unknown: "var.x" } });
  });
  it("numberToString prints Terraform's decimal form", () => {
    expect(numberToString(1e21)).toBe("1000000000000000000000");
    expect(numberToString(1.5e-7)).toBe("0.00000015");
    expect(numberToString(-0)).toBe("0");
    expect(numberToString(0.1 + 0.2)).toBe("0.3");
    expect(numberToString(123456789012345680000)).toBe("123456789012345680000");
  });
});

describe("numbers", () => {
  it("follow the docs", () => {
    expect(call("abs", -12.4)).toBe(12.4);
    expect(call("ceil", 5.1)).toBe(6);
    expect(call("floor", 4.9)).toBe(4);
    expect(call("max", 12, 54, 3)).toBe(54);
    expect(call("min", 12, 54, 3)).toBe(3);
    expect(call("sum", [10, 13, 6, 4.5])).toBe(33.5);
    expectFailure(call("sum", []), /empty/);
    expect(call("signum", -13)).toBe(-1);
    expect(call("pow", 3, 2)).toBe(9);
    expect(call("log", 16, 2)).toBe(4);
    expect(call("parseint", "FF", 16)).toBe(255);
    expect(call("parseint", "-10", 2)).toBe(-2);
    expectFailure(call("parseint", "12", 2), /cannot parse/);
    expectFailure(call("abs", "x"), /number/);
  });
  it("range", () => {
    expect(call("range", 3)).toEqual([0, 1, 2]);
    expect(call("range", 1, 4)).toEqual([1, 2, 3]);
    expect(call("range", 4, 1)).toEqual([4, 3, 2]);
    expect(call("range", 1, 8, 2)).toEqual([1, 3, 5, 7]);
    expect(call("range", 0)).toEqual([]);
    expectFailure(call("range", 0, 2000), /1024/);
    expectFailure(call("range", 0, 1, 0), /zero/);
  });
});

describe("encoding and hashing", () => {
  it("follow the docs", () => {
    expect(call("base64encode", "Hello World")).toBe("SGVsbG8gV29ybGQ=");
    expect(call("base64decode", "SGVsbG8gV29ybGQ=")).toBe("Hello World");
    expectFailure(call("base64decode", "SGVsbG8"), /base64/);
    expect(call("urlencode", "Hello World!")).toBe("Hello+World%21");
    expect(call("urlencode", "☃")).toBe("%E2%98%83");
    expect(call("md5", "hello world")).toBe("5eb63bbbe01eeed093cb22bb8f5acdc3");
    expect(call("sha1", "hello world")).toBe("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed");
    expect(call("sha256", "hello world")).toBe("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
    expect(call("base64sha256", "hello world")).toBe("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=");
    expect(call("uuidv5", "dns", "www.terraform.io")).toBe("a5008fae-b28c-5ba5-96cd-82b4c53552d6");
  });
});

describe("impure and unsupported functions", () => {
  it("are unknown with reason function", () => {
    for (const name of ["timestamp", "uuid", "bcrypt", "plantimestamp"]) {
      const args: Value[] = name === "bcrypt" ? ["x"] : [];
      expect(expectUnknown(call(name, ...args)).reason).toBe("function");
    }
  });
});

describe("provider::aws functions", () => {
  it("arn_parse", () => {
    expect(run("provider::aws::arn_parse", "arn:aws:iam::444455556666:role/example")).toEqual({
      partition: "aws",
      service: "iam",
      region: "",
      account_id: "444455556666",
      resource: "role/example",
    });
    expect(run("provider::aws::arn_parse", "arn:aws:secretsmanager:us-east-1:1:secret:a:b")).toMatchObject({ resource: "secret:a:b" });
    expectFailure(call("provider::aws::arn_parse", "nope"), /invalid prefix/);
    expectFailure(call("provider::aws::arn_parse", "arn:aws:iam"), /not enough sections/);
  });
  it("arn_parse keeps the sections inside the known prefix", () => {
    const r = call("provider::aws::arn_parse", partial("arn:aws:secretsmanager:us-east-1:", U(), ":secret:*")) as ObjectValue;
    expect(r.get("partition")).toBe("aws");
    expect(r.get("region")).toBe("us-east-1");
    expect(r.get("account_id")).toBeInstanceOf(Unknown);
    expect(r.get("resource")).toBeInstanceOf(Unknown);
  });
  it("arn_build and trim_iam_role_path", () => {
    expect(call("provider::aws::arn_build", "aws", "iam", "", "444455556666", "role/example")).toBe("arn:aws:iam::444455556666:role/example");
    expect(pieces(call("provider::aws::arn_build", "aws", "secretsmanager", "us-east-1", U(), "secret:*"))).toEqual([
      "arn:aws:secretsmanager:us-east-1:",
      "?",
      ":secret:*",
    ]);
    expect(call("provider::aws::trim_iam_role_path", "arn:aws:iam::444455556666:role/with/path/example")).toBe(
      "arn:aws:iam::444455556666:role/example",
    );
  });
});

describe("files and templates", () => {
  const dir = mkdtempSync(join(tmpdir(), "secretlint-fn-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const files: FunctionContext = {
    baseDir: dir,
    readFile(path) {
      try {
        return readFileSync(join(dir, path), "utf8");
      } catch {
        return undefined;
      }
    },
  };
  writeFileSync(join(dir, "hello.txt"), "Hello World");
  writeFileSync(
    join(dir, "policy.tpl"),
    '{"Resource": "arn:aws:secretsmanager:${region}:${account}:secret:${name}*"%{ for a in actions }, "${a}"%{ endfor }}',
  );
  writeFileSync(join(dir, "bad.tpl"), "${ unclosed");
  const callIn = (name: string, ...args: Value[]): Value => (functions[name] as (a: Value[], c: FunctionContext) => Value)(args, files);

  it("file, fileexists and file hashes read through the context", () => {
    expect(callIn("file", "hello.txt")).toBe("Hello World");
    expect(callIn("fileexists", "hello.txt")).toBe(true);
    expect(callIn("fileexists", "missing.txt")).toBe(false);
    expect(callIn("filemd5", "hello.txt")).toBe("b10a8db164e0754105b7a99be72e3fe5");
    expect(callIn("filebase64", "hello.txt")).toBe("SGVsbG8gV29ybGQ=");
    expect(expectUnknown(callIn("file", "missing.txt")).reason).toBe("function");
    expect(expectUnknown(callIn("filebase64sha256", "missing.txt")).reason).toBe("function");
  });
  it("templatefile renders with the given vars only", () => {
    const vars = obj({ region: "us-east-1", account: "123", name: "app/", actions: ["a", "b"] });
    expect(callIn("templatefile", "policy.tpl", vars)).toBe(
      '{"Resource": "arn:aws:secretsmanager:us-east-1:123:secret:app/*", "a", "b"}',
    );
  });
  it("templatefile keeps known text around unknown vars, and fails on errors", () => {
    const vars = obj({ region: "us-east-1", account: U(), name: "app/", actions: [] });
    expect(pieces(callIn("templatefile", "policy.tpl", vars))).toEqual([
      '{"Resource": "arn:aws:secretsmanager:us-east-1:',
      "?",
      ':secret:app/*"}',
    ]);
    expectFailure(callIn("templatefile", "policy.tpl", obj({ region: "x" })));
    expectFailure(callIn("templatefile", "bad.tpl", obj({})));
    expect(expectUnknown(callIn("templatefile", "missing.tpl", obj({}))).reason).toBe("function");
  });
  it("templatestring, dirname, basename", () => {
    expect(call("templatestring", "Hello, ${name}!", obj({ name: "Ander" }))).toBe("Hello, Ander!");
    expect(call("dirname", "foo/bar/baz.txt")).toBe("foo/bar");
    expect(call("basename", "foo/bar/baz.txt")).toBe("baz.txt");
  });
});

describe("yamldecode", () => {
  it("one document, YAML 1.2 core schema (yes/no are strings), aliases, sorted keys", () => {
    expect(run("yamldecode", "b: 1\na:\n  - x\n  - true\n  - yes\nc: null\n")).toEqual({ a: ["x", true, "yes"], b: 1, c: null });
    expect(run("yamldecode", "base: &b\n  region: eu-west-1\nprod:\n  <<: *b\n")).toMatchObject({ base: { region: "eu-west-1" } });
    expect(run("yamldecode", "")).toBe(null);
    expect(run("yamldecode", "just text")).toBe("just text");
  });

  it("invalid YAML is a failure that does not quote the text; what it cannot read is unknown", () => {
    expectFailure(call("yamldecode", "a: [hunter2-secret"), /not valid YAML/);
    expect((call("yamldecode", "a: [hunter2-secret") as Failure).message).not.toContain("hunter2");
    expectUnknown(call("yamldecode", "a: 1\n---\nb: 2\n"));
    expectUnknown(call("yamldecode", "a: !custom 1\n"));
    expectUnknown(call("yamldecode", U()));
  });
});
