import { OPTION_KINDS } from "../../../src/impact/impact.model.ts";
import type { CaseDetail, ImpactInputs, ImpactResult, OptionKind } from "../api/types.ts";
import { label, money, moneyCents, pct, quantity, units } from "../format.ts";

/**
 * Why the case costs what it costs (DESIGN §6, §6b): demand against stock, every option with the
 * formula and the inputs it was computed from, the bridges engineering options need, the stress case,
 * and the assumptions behind the figures. The numbers are the stored report's; the formulas restate
 * how the model made them so a buyer can check them by hand.
 */

interface Term {
  name: string;
  value: string;
}

interface Explained {
  formula: string;
  terms: Term[];
  note?: string;
}

function bridgeTerms(r: ImpactResult, i: ImpactInputs, x: "alternate" | "substitute" | "redesign"): Term[] {
  const b = r.bridges?.[x];
  if (!b) return [{ name: "bridge", value: "none needed" }];
  const years = r.lead_months[x] / 12;
  const cost =
    b.source === "last_time_buy"
      ? b.units * i.unit_cost * i.holding_cost_rate * (years / 2)
      : b.units * i.unit_cost * (i.broker_premium - 1);
  return [
    {
      name: "bridge",
      value: `${units(b.units)} units ${b.source === "last_time_buy" ? "at the last-time buy" : "from a broker"} ≈ ${money(cost)}`,
    },
  ];
}

function explain(kind: OptionKind, r: ImpactResult, i: ImpactInputs): Explained {
  const Q = { name: "Q (shortfall)", value: `${units(r.shortfall_units)} units` };
  const cost = { name: "unit cost", value: moneyCents(i.unit_cost) };
  switch (kind) {
    case "existing_stock":
      return {
        formula: "stock covers demand: no extra cost",
        terms: [
          { name: "demand", value: `${units(r.demand_units)} units` },
          { name: "on hand + on order", value: `${units(i.on_hand)} + ${units(i.on_order)}` },
        ],
      };
    case "last_time_buy":
      return {
        formula: "Q × unit cost × holding rate × H ÷ 2",
        terms: [
          Q,
          cost,
          { name: "holding rate", value: `${pct(i.holding_cost_rate)} a year` },
          { name: "H (years to last end of production)", value: quantity(i.horizon_years) },
        ],
        ...(r.last_time_buy_outlay !== null
          ? { note: `cash paid up front: ${money(r.last_time_buy_outlay)}` }
          : {}),
      };
    case "alternate":
    case "substitute": {
      const alt = kind === "alternate" ? r.alternate_part : r.substitute_part;
      const altCost = kind === "alternate" ? i.alternate_unit_cost : i.substitute_unit_cost;
      return {
        formula: `NRE + bridge + max(0, ${kind} unit cost − unit cost) × (Q − bridge units)`,
        terms: [
          { name: "NRE", value: money(kind === "alternate" ? i.alternate_nre : i.substitute_nre) },
          ...bridgeTerms(r, i, kind),
          {
            name: `${kind} unit cost`,
            value: altCost === null ? "unknown (taken as the part's)" : moneyCents(altCost),
          },
          cost,
          Q,
        ],
        ...(alt
          ? { note: `${alt.manufacturer} ${alt.mpn}, qualified in ${r.lead_months[kind]} months` }
          : {}),
      };
    }
    case "broker":
      return {
        formula: "Q × unit cost × (broker premium − 1)",
        terms: [Q, cost, { name: "broker premium", value: `${i.broker_premium}×` }],
        note: "broker stock carries counterfeit risk",
      };
    case "redesign":
      return {
        formula: "NRE × assemblies holding the part + bridge",
        terms: [
          { name: "NRE", value: money(i.redesign_nre) },
          { name: "assemblies holding the part", value: units(i.holders_with_demand) },
          ...bridgeTerms(r, i, "redesign"),
        ],
        note: `takes ${r.lead_months.redesign} months`,
      };
  }
}

const WHY_NOT: Record<OptionKind, string> = {
  existing_stock: "stock does not cover demand",
  last_time_buy: "nothing short, or the buy window is closed",
  alternate: "no usable drop-in alternate on file",
  substitute: "no usable substitute on file",
  broker: "nothing short",
  redesign: "",
};

export function CaseImpact({ c, r, explanation }: { c: CaseDetail; r: ImpactResult; explanation: string[] }) {
  const i = r.inputs ?? null;
  return (
    <>
      <section aria-labelledby="impact-h" className="panel">
        <h2 id="impact-h">Impact</h2>
        <dl className="facts small">
          <div>
            <dt>Demand to end of production</dt>
            <dd>{units(r.demand_units)} units</dd>
          </div>
          <div>
            <dt>Stock (on hand + on order)</dt>
            <dd>{units(r.supply_units)} units</dd>
          </div>
          <div>
            <dt>Shortfall</dt>
            <dd>{units(r.shortfall_units)} units</dd>
          </div>
          <div>
            <dt>Coverage</dt>
            <dd>{pct(r.coverage)}</dd>
          </div>
        </dl>
        {explanation.length > 0 && (
          <ul className="explain">
            {explanation.map((s) => (
              <li key={s}>{s.charAt(0).toUpperCase() + s.slice(1)}.</li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="options-h" className="panel">
        <h2 id="options-h">Options</h2>
        {!r.supply_ends && (
          <p>The part can still be bought as usual: no option applies (a review or watch item).</p>
        )}
        <div className="table-wrap">
          <table className="options">
            <caption className="visually-hidden">
              Mitigation options, their cost and how it is computed
            </caption>
            <thead>
              <tr>
                <th scope="col">Option</th>
                <th scope="col" className="num">
                  P&L impact
                </th>
                <th scope="col">How it is computed</th>
              </tr>
            </thead>
            <tbody>
              {OPTION_KINDS.map((k) => {
                const costOf = r.options[k];
                const e = i && costOf !== null ? explain(k, r, i) : null;
                return (
                  <tr
                    key={k}
                    className={
                      k === r.recommendation ? "recommended" : costOf === null ? "infeasible" : undefined
                    }
                  >
                    <th scope="row">
                      {label(k)}
                      {k === r.recommendation && <span className="badge tone-good">recommended</span>}
                    </th>
                    <td className="num">{costOf === null ? "not feasible" : money(costOf)}</td>
                    <td>
                      {costOf === null ? (
                        <span className="muted">{WHY_NOT[k]}</span>
                      ) : e ? (
                        <>
                          <code className="formula">{e.formula}</code>
                          <ul className="terms">
                            {e.terms.map((t) => (
                              <li key={t.name}>
                                {t.name} = <strong>{t.value}</strong>
                              </li>
                            ))}
                          </ul>
                          {e.note && <div className="sub">{e.note}</div>}
                        </>
                      ) : (
                        <span className="muted">inputs not recorded (assessed by an earlier version)</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {r.stress && (
          <p>
            <strong>Stress case:</strong> if demand grows {pct(r.stress.growth)} a year,{" "}
            {units(r.stress.demand_units)} units are needed and {units(r.stress.shortfall_units)} are short
            {r.stress.run_out_date ? `; stock runs out on ${r.stress.run_out_date}` : ""}.
          </p>
        )}
        <details className="assumptions">
          <summary>Assumptions behind these figures</summary>
          <ul>
            {r.assumptions.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </details>
        {c.near_misses.length > 0 && (
          <div className="note warn">
            <strong>Near misses:</strong> the BOM also holds parts of the same family the notice does not name
            — check whether it covers them too (they are not counted above):{" "}
            {c.near_misses.map((n) => `${n.manufacturer} ${n.mpn} (on ${n.used_on.join(", ")})`).join("; ")}.
          </div>
        )}
      </section>
    </>
  );
}
