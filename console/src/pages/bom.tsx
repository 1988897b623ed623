import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Link } from "wouter";
import { ApiError, api, query, upload } from "../api/client.ts";
import type { BomImportResponse, SessionInfo, WhereUsedResponse } from "../api/types.ts";
import { ErrorNote, Loading } from "../components/ui.tsx";
import { day, money, quantity, units } from "../format.ts";

/**
 * BOM (DESIGN §12, §7): upload the four CSV files (with a progress bar; a refused import lists every
 * bad row and changes nothing), and find where a part is used.
 */
const FILES = [
  {
    name: "assemblies",
    columns: "assembly_id, name, annual_demand, unit_price, end_of_production, notify_channel",
  },
  { name: "parts", columns: "manufacturer, mpn, unit_cost, on_hand, on_order, lifecycle_status" },
  { name: "bom", columns: "parent_assembly_id, child_type, child_ref, child_manufacturer, qty_per" },
  { name: "alternates", columns: "manufacturer, mpn, alt_manufacturer, alt_mpn, kind, alt_unit_cost" },
] as const;

export function BomPage({ session }: { session: SessionInfo }) {
  return (
    <>
      <h1>BOM</h1>
      <Upload session={session} />
      <WhereUsed />
    </>
  );
}

function Upload({ session }: { session: SessionInfo }) {
  const id = useId();
  const qc = useQueryClient();
  const [progress, setProgress] = useState<number | null>(null);
  const run = useMutation({
    mutationFn: (form: FormData) => upload<BomImportResponse>("/v1/bom/import", form, setProgress),
    onSettled: () => setProgress(null),
    onSuccess: () => void qc.invalidateQueries(),
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData();
    const data = new FormData(e.currentTarget);
    for (const f of FILES) {
      const file = data.get(f.name);
      if (file instanceof File && file.size > 0) form.append(f.name, file, file.name);
    }
    setProgress(0);
    run.mutate(form);
  };
  const rows =
    run.error instanceof ApiError && run.error.status === 422 ? (run.error.body?.issues ?? []) : [];
  return (
    <section aria-labelledby={`${id}-h`} className="panel">
      <h2 id={`${id}-h`}>Upload the BOM</h2>
      <p>
        Four CSV files with a header row (UTF-8, commas). Give any of them: rows are added or updated by their
        keys; a parent assembly named in bom.csv gets exactly the lines the file gives it. If any row is
        wrong, nothing is changed and every bad row is listed.
      </p>
      {!session.can.admin ? (
        <p className="muted">Importing the BOM needs the admin role.</p>
      ) : (
        <form onSubmit={submit} className="upload">
          {FILES.map((f) => (
            <label key={f.name} className="file">
              <span>
                <strong>{f.name}.csv</strong> <span className="sub">{f.columns}</span>
              </span>
              <input type="file" name={f.name} accept=".csv,text/csv" />
            </label>
          ))}
          <button type="submit" className="primary" disabled={run.isPending}>
            Upload and import
          </button>
          {progress !== null && (
            <div className="progress">
              <label htmlFor={`${id}-p`}>{progress < 1 ? "Uploading" : "Importing"}</label>
              <progress id={`${id}-p`} max={1} value={progress < 1 ? progress : undefined} />
              <span>{progress < 1 ? `${Math.round(progress * 100)}%` : "checking every row…"}</span>
            </div>
          )}
        </form>
      )}
      <div role="status" aria-live="polite">
        {run.isSuccess && (
          <p className="note ok">
            Imported: {units(run.data.counts.assemblies)} assemblies, {units(run.data.counts.parts)} parts,{" "}
            {units(run.data.counts.bom_lines)} BOM lines, {units(run.data.counts.alternates)} alternates.
          </p>
        )}
      </div>
      {run.isError && rows.length === 0 && <ErrorNote error={run.error} what="the import" />}
      {rows.length > 0 && (
        <div className="note error" role="alert">
          <strong>
            Nothing was imported: {rows.length} row{rows.length === 1 ? " is" : "s are"} wrong.
          </strong>
          {run.error instanceof ApiError &&
            run.error.body?.truncated === true &&
            " (the first ones are listed)"}
          <div className="table-wrap">
            <table className="errors">
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Line</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the error's order is its identity
                  <tr key={i}>
                    <td>{r.file ?? r.path}</td>
                    <td className="num">{r.row ?? "–"}</td>
                    <td>{r.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}

function WhereUsed() {
  const id = useId();
  const [search, setSearch] = useState<{ mpn: string; manufacturer: string } | null>(null);
  const found = useQuery({
    queryKey: ["where-used", search],
    queryFn: ({ signal }) =>
      api<WhereUsedResponse>(
        `/v1/parts/${encodeURIComponent(search!.mpn)}/where-used${query({ manufacturer: search!.manufacturer })}`,
        { signal },
      ),
    enabled: search !== null,
    retry: false,
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const mpn = String(data.get("mpn") ?? "").trim();
    if (mpn) setSearch({ mpn, manufacturer: String(data.get("manufacturer") ?? "").trim() });
  };
  const notFound = found.error instanceof ApiError && found.error.status === 404;
  return (
    <section aria-labelledby={`${id}-h`} className="panel">
      <h2 id={`${id}-h`}>Where used</h2>
      <form className="filters" onSubmit={submit} aria-label="Find where a part is used">
        <label>
          Part number
          <input name="mpn" required placeholder="e.g. TPS54331D" />
        </label>
        <label>
          Maker (optional)
          <input name="manufacturer" />
        </label>
        <button type="submit">Find</button>
      </form>
      {search === null ? null : found.isPending ? (
        <Loading what="where the part is used" />
      ) : notFound ? (
        <p className="empty">No part {search.mpn} in the BOM.</p>
      ) : found.isError ? (
        <ErrorNote error={found.error} what="where the part is used" />
      ) : (
        found.data.parts.map((p) => (
          <div key={`${p.part.manufacturer}/${p.part.mpn}`}>
            <h3>
              <span className="mpn">{p.part.mpn}</span> <span className="maker">{p.part.manufacturer}</span>{" "}
              <span className="badge tone-plain">{p.part.lifecycle_status.toUpperCase()}</span>{" "}
              <Link href={`/cases?q=${encodeURIComponent(p.part.mpn)}&state=`}>its cases</Link>
            </h3>
            {p.assemblies.length === 0 ? (
              <p className="muted">No assembly uses it.</p>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Assembly</th>
                      <th scope="col" className="num">
                        Units per unit
                      </th>
                      <th scope="col">Holds it</th>
                      <th scope="col" className="num">
                        Demand / year
                      </th>
                      <th scope="col" className="num">
                        Price
                      </th>
                      <th scope="col">End of production</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.assemblies.map((a) => (
                      <tr key={a.assembly_id}>
                        <th scope="row">
                          {a.assembly_id} <span className="sub">{a.name}</span>
                        </th>
                        <td className="num">{quantity(a.qty_per_unit)}</td>
                        <td>{a.direct ? "on its own BOM" : "through a sub-assembly"}</td>
                        <td className="num">{units(a.annual_demand)}</td>
                        <td className="num">{money(a.unit_price)}</td>
                        <td>{day(a.end_of_production)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        ))
      )}
      {found.data && found.data.parts.length > 1 && (
        <p className="muted">The number matches parts of more than one maker; each is listed.</p>
      )}
    </section>
  );
}
