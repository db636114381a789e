import { marked } from "marked";
import { describe, expect, it } from "vitest";
import { buildAnnotations, MAX_PER_LEVEL } from "../../src/action/annotations.js";
import { escapeText, renderSummary, SUMMARY_MAX_BYTES, SUMMARY_MAX_STEPS } from "../../src/action/summary.js";
import { item } from "../output/junit-fixtures.js";
import { gateResult, hostileSteps, jobReport } from "./fixtures.js";
import { decodeEntities } from "./helpers.js";

function tableRows(html: string): string[][] {
  return [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .map((row) =>
      [...(row[1] ?? "").matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => decodeEntities(cell[1] ?? "")),
    )
    .filter((cells) => cells.length > 0);
}

describe("escapeText", () => {
  it("turns every Markdown/HTML special character into a character reference, on one line", () => {
    expect(escapeText("a|b <i>&`c`\n*d*_e_ [f](g) #h ~i~ $j$ @k :l: \\m -n")).toBe(
      "a&#124;b &#60;i&#62;&#38;&#96;c&#96; &#42;d&#42;&#95;e&#95; &#91;f&#93;(g) &#35;h &#126;i&#126; &#36;j&#36; &#64;k &#58;l&#58; &#92;m &#45;n",
    );
    expect(escapeText("x\u2028y\u2029z\r\nw")).toBe("x y z w");
    expect(escapeText(null)).toBe("");
  });
});

describe("renderSummary", () => {
  it("a passing check: verdict, facts and 13 passing steps, nothing to review", async () => {
    const md = renderSummary(gateResult([jobReport("dts-1ewjspuw", "pass")]));
    const html = await marked.parse(md);
    expect(html).toContain("<h2>✅ DTS pre-migration check: gate open</h2>");
    expect(html).toContain("<h3>✅ dts-1ewjspuw: PASSED</h3>");
    expect(decodeEntities(html)).toContain(
      "Status <strong>success</strong> · CheckFlag <strong>checkPass</strong> · 3 polls · 1.3 s",
    );
    const rows = tableRows(html);
    expect(rows).toHaveLength(13);
    expect(rows[0]).toEqual(["0", "Database connection check", "ConnectDBCheck", "✓ pass"]);
    expect(rows.every((cells) => cells[3] === "✓ pass")).toBe(true);
    expect(html).not.toContain("<details>");
  });

  it("a check that did not pass: the failed item expanded with reason, solution, log and help link", async () => {
    const md = renderSummary(gateResult([jobReport("dts-1ewjspuw", "not-pass")]));
    const html = decodeEntities(await marked.parse(md));
    expect(html).toContain("<h2>❌ DTS pre-migration check: gate closed</h2>");
    expect(html).toContain("<h3>❌ dts-1ewjspuw: NOT PASSED</h3>");
    expect(tableRows(await marked.parse(md))[5]).toEqual([
      "5",
      "Target instance content conflict check",
      "DstEmptyCheck",
      "✗ failed",
    ]);
    expect(html).toContain("<summary>❌ <b>Target instance content conflict check</b> (failed)</summary>");
    expect(html).toContain(
      "<strong>Reason:</strong> The target instance already contains tables with the same names as tables to migrate: shop.orders, shop.customers.",
    );
    expect(html).toContain("<strong>Solution:</strong> Drop or rename the conflicting tables");
    expect(html).toContain("<p>conflicting tables in target: shop.orders, shop.customers</p>");
    expect(html).toContain(
      '<strong>Help:</strong> <a href="https://www.tencentcloud.com/document/product/571">https://www.tencentcloud.com/document/product/571</a>',
    );
  });

  it("errors, timeouts, notes, created and started checks are shown", async () => {
    const md = renderSummary(
      gateResult(
        [
          jobReport("dts-aaaaaaaa", "pass", { started: { requestId: "start-1" }, created: { requestId: "create-1" } }),
          jobReport("dts-bbbbbbbb", "pass", {
            outcome: "error",
            status: null,
            checkFlag: null,
            briefMsg: null,
            stepInfo: null,
            error: { code: "AuthFailure.SecretIdNotFound", message: "The SecretId is not found <b>" },
          }),
          jobReport("dts-cccccccc", "pass", { outcome: "timeout", notes: ['unexpected Status "x"'] }),
        ],
        { passed: false, exitCode: 4 },
      ),
    );
    const text = decodeEntities(await marked.parse(md));
    expect(text).toContain("Check created (RequestId create-1).");
    expect(text).toContain("🚀 Migration started (RequestId start-1).");
    expect(text).toContain("<h3>⛔ dts-bbbbbbbb: ERROR</h3>");
    expect(text).toContain("<strong>Error:</strong> AuthFailure.SecretIdNotFound: The SecretId is not found <b>");
    expect(text).toContain("Status <strong>—</strong> · CheckFlag <strong>—</strong>");
    expect(text).toContain("<h3>⏱️ dts-cccccccc: TIMED OUT</h3>");
    expect(text).toContain('<em>Note: unexpected Status "x"</em>');
  });

  it("hostile API text stays text: no HTML, no broken table, no link but http(s)", async () => {
    const steps = hostileSteps({
      StepName: "A | B\n## Heading <img src=x onerror=alert(1)>",
      StepId: "Id|`x`",
      StepStatus: "fail|ed",
      StepMessage: "msg | <script>",
      DetailCheckItems: [
        item("</summary></details><script>alert(1)</script>", "failed", {
          FailureReason: "reason\n\n</details>\n# injected",
          Solution: "[click](javascript:alert(1)) ![img](https://evil/x.png) $x^2$ @team",
          ErrorLog: ["> quote\n- list", "```\ncode"],
          HelpDoc: ["javascript:alert(1)", 'https://ok.example/doc?q="x"'],
        }),
      ],
    });
    const md = renderSummary(
      gateResult([jobReport("dts-1ewjspuw", "not-pass", { stepInfo: steps, briefMsg: "<h1>big</h1> | `x`" })]),
    );
    expect(md).not.toMatch(/<(script|img|h1)|javascript:|```/);
    const html = await marked.parse(md);
    expect(html).not.toMatch(/<(script|img|h1|h2 id|ul|ol|code|pre|hr)\b/);
    expect(html).not.toMatch(/<a href="(?!https&#58;\/\/ok\.example)/);
    expect(html.match(/<details>/g)).toHaveLength(1);
    expect(html.match(/<\/details>/g)).toHaveLength(1);
    const rows = tableRows(html);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual([
      "1",
      "A | B ## Heading <img src=x onerror=alert(1)>",
      "Id|`x`",
      "? fail|ed — msg | <script>",
    ]);
    const text = decodeEntities(html);
    expect(text).toContain("<strong>BriefMsg:</strong> <h1>big</h1> | `x`");
    expect(text).toContain("[click](javascript:alert(1)) ![img](https://evil/x.png) $x^2$ @team");
  });

  it("stays under the size limit, saying how many jobs were left out", () => {
    const jobs = Array.from({ length: 30 }, (_, n) => jobReport(`dts-${String(n).padStart(8, "0")}`, "not-pass"));
    const full = renderSummary(gateResult(jobs));
    const limit = Math.floor(full.length / 3);
    const cut = renderSummary(gateResult(jobs), limit);
    expect(cut.length).toBeLessThanOrEqual(limit + 200);
    const shown = cut.match(/^### /gm)?.length ?? 0;
    expect(shown).toBeGreaterThan(5);
    expect(shown).toBeLessThan(30);
    expect(cut).toContain(`_${30 - shown} more jobs not shown here`);
  });
});

describe("renderSummary under any size", () => {
  const cjk = "目标实例内容冲突".repeat(40);
  const manySteps = (count: number, message: string) =>
    Array.from({ length: count }, (_, index) => ({
      StepNo: index,
      StepId: `Step${index}`,
      StepName: `步骤 ${index}`,
      StepStatus: index % 100 === 7 ? "failed" : "pass",
      StepMessage: message,
      HasSkipped: false,
      DetailCheckItems: [],
    }));

  it("measures its limit in bytes of UTF-8, not characters: CJK text cannot push it past GitHub's 1 MiB", () => {
    const jobs = Array.from({ length: 6 }, (_, n) =>
      jobReport(`dts-${String(n).padStart(8, "0")}`, "not-pass", { stepInfo: manySteps(300, cjk) }),
    );
    const md = renderSummary(gateResult(jobs));
    expect(Buffer.byteLength(md, "utf8")).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(md.match(/^### /gm)).toHaveLength(6);
    expect(md).toContain("_Steps and items not shown (the summary has a size limit)");
  });

  it("shows at most SUMMARY_MAX_STEPS steps of a job, the failed ones first, and counts the rest", () => {
    const steps = manySteps(200_000, "");
    const md = renderSummary(gateResult([jobReport("dts-1ewjspuw", "not-pass", { stepInfo: steps })]));
    const rows = md.split("\n").filter((line) => /^\| \d/.test(line));
    expect(rows).toHaveLength(SUMMARY_MAX_STEPS);
    expect(rows.filter((row) => row.includes("✗ failed"))).toHaveLength(SUMMARY_MAX_STEPS);
    expect(md).toContain("_199700 more steps not shown (1700 failed, 198000 passed, 0 other)");
  });

  it("a job too big for what is left is shown without its steps rather than dropped", () => {
    const huge = jobReport("dts-1ewjspuw", "not-pass", { stepInfo: manySteps(300, "x".repeat(1999)) });
    const md = renderSummary(gateResult([huge]), 200_000);
    expect(md).toContain("### ❌ dts-1ewjspuw: NOT PASSED");
    expect(md).toContain("_Steps and items not shown (the summary has a size limit)");
  });

  it("says a pass with warnings closed the gate under --fail-on-warning", () => {
    const warned = jobReport("dts-1ewjspuw", "warning");
    expect(renderSummary(gateResult([warned]))).toContain("### ⚠️ dts-1ewjspuw: PASSED with 1 warning");
    expect(renderSummary(gateResult([warned], { failOnWarning: true, passed: false }))).toContain(
      "### ⚠️ dts-1ewjspuw: PASSED WITH WARNINGS, GATE CLOSED (--fail-on-warning)",
    );
  });
});

describe("buildAnnotations", () => {
  it("one error per failed item, with the step as title and reason, solution and help in the message", () => {
    expect(buildAnnotations(gateResult([jobReport("dts-1ewjspuw", "not-pass")]))).toEqual([
      {
        level: "error",
        title: "Target instance content conflict check",
        message: [
          "dts-1ewjspuw · Target instance content conflict check: failed",
          "Reason: The target instance already contains tables with the same names as tables to migrate: shop.orders, shop.customers.",
          "Solution: Drop or rename the conflicting tables in the target instance, or remove them from the migration objects, then run the check again.",
          "Log: conflicting tables in target: shop.orders, shop.customers",
          "Help: https://www.tencentcloud.com/document/product/571",
        ].join("\n"),
      },
    ]);
  });

  it("warning items are warnings; items of a skipped step are notices", () => {
    const annotations = buildAnnotations(gateResult([jobReport("dts-1ewjspuw", "warning")]));
    expect(annotations.map(({ level, title }) => [level, title])).toEqual([
      ["warning", "Source instance permission check"],
      ["notice", "Peripheral check (skipped)"],
    ]);
    expect(annotations[1]?.message).toBe(
      "dts-1ewjspuw · Peripheral check: warning, skipped: not counted\nLog: skipped",
    );
  });

  it("a passing check has none; a failed step without items gets one", () => {
    expect(buildAnnotations(gateResult([jobReport("dts-1ewjspuw", "pass")]))).toEqual([]);
    const steps = hostileSteps({ StepName: "Step\n::one", StepStatus: "failed", StepMessage: "it broke\r\nbadly" });
    expect(buildAnnotations(gateResult([jobReport("dts-1ewjspuw", "pass", { stepInfo: steps })]))).toEqual([
      { level: "error", title: "Step ::one", message: "dts-1ewjspuw · Step ::one: failed\nit broke badly" },
    ]);
  });

  it("every field is one line and bounded; only an http(s) link is offered as help", () => {
    const steps = hostileSteps({
      StepStatus: "failed",
      DetailCheckItems: [
        item("n\u2028m", "failed", {
          FailureReason: `${"x".repeat(2000)}\n`,
          HelpDoc: ["javascript:alert(1)", "https://ok.example/"],
        }),
      ],
    });
    const [annotation] = buildAnnotations(gateResult([jobReport("dts-1ewjspuw", "pass", { stepInfo: steps })]));
    const lines = annotation?.message.split("\n") ?? [];
    expect(lines[0]).toBe("dts-1ewjspuw · n m: failed");
    expect(lines[1]?.length).toBe("Reason: ".length + 600);
    expect(lines[2]).toBe("Help: https://ok.example/");
  });

  it("caps each level, pointing to the summary for the rest", () => {
    const jobs = Array.from({ length: 12 }, (_, n) => jobReport(`dts-${String(n).padStart(8, "0")}`, "not-pass"));
    const annotations = buildAnnotations(gateResult(jobs));
    expect(annotations).toHaveLength(MAX_PER_LEVEL);
    expect(annotations.at(-1)).toEqual({
      level: "error",
      title: "3 more",
      message: "3 more error items: see the job summary.",
    });
  });
});
