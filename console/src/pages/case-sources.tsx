import { Link } from "wouter";
import { noticePagePath } from "../../../src/http/console.paths.ts";
import type { AssemblyTreeNode, CaseContext, CaseDetail, NoticeExcerpt } from "../api/types.ts";
import { Confidence, Loading, Marked } from "../components/ui.tsx";
import { day, instant, label, quantity, units } from "../format.ts";

/** Where the case comes from: the notices (with the words naming the part) and the assemblies hit. */

export function AssemblyTree({
  tree,
  mpn,
  affected,
}: {
  tree: CaseContext["tree"];
  mpn: string;
  affected: CaseDetail["affected_assemblies"];
}) {
  if (tree.roots.length === 0) return <p className="muted">No assembly in the BOM holds this part.</p>;
  const counted = new Set(affected.map((a) => a.assembly_id));
  return (
    <>
      <ul className="tree" aria-label={`Assemblies that use ${mpn}`}>
        {tree.roots.map((n) => (
          <TreeItem key={n.assembly_id} node={n} mpn={mpn} counted={counted} />
        ))}
      </ul>
      {tree.truncated && <p className="muted">The tree is cut at 500 assemblies.</p>}
      <p className="muted small">
        Quantities are per unit of the assembly above; “{mpn} per unit” sums every path below. Assemblies
        marked “in exposure” have future demand and count in this case.
      </p>
    </>
  );
}

function TreeItem({
  node,
  mpn,
  counted,
}: {
  node: AssemblyTreeNode;
  mpn: string;
  counted: ReadonlySet<string>;
}) {
  return (
    <li>
      <div className="tree-node">
        <span className="assembly">
          {node.qty_per !== null && <span className="qty">{quantity(node.qty_per)} ×</span>}{" "}
          <strong>{node.assembly_id}</strong> {node.name}
        </span>
        <span className="sub">
          {quantity(node.part_units_per_unit)} {mpn} per unit
          {node.part_qty !== null && ` (${quantity(node.part_qty)} on its own BOM)`} ·{" "}
          {units(node.annual_demand)}/yr · ends {day(node.end_of_production)}
          {counted.has(node.assembly_id) && <span className="badge tone-warn">in exposure</span>}
          {node.end_of_production < new Date().toISOString().slice(0, 10) && (
            <span className="badge tone-plain">production ended</span>
          )}
        </span>
      </div>
      {node.children.length > 0 && (
        <ul>
          {node.children.map((k) => (
            <TreeItem key={k.assembly_id} node={k} mpn={mpn} counted={counted} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function CaseNotices({
  c,
  excerpts,
  loading,
}: {
  c: CaseDetail;
  excerpts: NoticeExcerpt[] | undefined;
  loading: boolean;
}) {
  const byKey = new Map((excerpts ?? []).map((e) => [`${e.trace_id}#${e.notice_index}`, e]));
  return (
    <ol className="notices">
      {[...c.notices_linked].reverse().map((n) => {
        const e = byKey.get(`${n.trace_id}#${n.notice_index}`);
        return (
          <li key={`${n.trace_id}#${n.notice_index}`} className="notice">
            <div className="notice-head">
              <strong>{e?.subject ?? "Notice"}</strong>
              <span className="sub">
                {instant(n.received_at)} · {e ? `${label(e.route)} from ${e.source}` : ""} ·{" "}
                {label(n.outcome)} ·{" "}
                <Link href={noticePagePath(n.trace_id)}>trace {n.trace_id.slice(0, 8)}</Link>
              </span>
            </div>
            {e?.excerpt ? (
              <blockquote className="excerpt">
                <Marked text={e.excerpt.excerpt} start={e.excerpt.start} end={e.excerpt.end} />
              </blockquote>
            ) : loading ? (
              <Loading what="the excerpt" />
            ) : (
              <p className="muted">
                The message does not name the part in words (read by the model or from fields).
              </p>
            )}
            <div className="sub">
              {e?.route === "component-alert" ? (
                "Structured alert: its fields are read as given"
              ) : (
                <>
                  Extraction confidence <Confidence value={e?.confidence ?? null} />
                </>
              )}
              {e?.matched_by && <> · found by {label(e.matched_by)}</>}
              {e?.location && (
                <>
                  {" "}
                  · in {e.location.part} ({e.location.layout}
                  {e.location.line !== null ? `, line ${e.location.line}` : ""})
                </>
              )}
              {n.changes.length > 0 && (
                <>
                  {" "}
                  · changed{" "}
                  {n.changes.map((ch) => `${label(ch.field)} ${ch.from ?? "–"} → ${ch.to ?? "–"}`).join(", ")}
                </>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
