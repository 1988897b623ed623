/** The tunable figures of the impact model (DESIGN §6), each overridable. */
export interface ImpactSettings {
  /** Scrap and yield loss added on top of demand, as a fraction (0.03 = 3 %). */
  attritionRate: number;
  /** Yearly cost of holding stock, as a fraction of its value. */
  holdingCostRate: number;
  alternateNre: number;
  substituteNre: number;
  redesignNre: number;
  /** Broker price as a multiple of the normal unit cost (3 = three times). */
  brokerPremium: number;
  /** Months to qualify each engineering option (DESIGN §6b): notional planning figures. */
  alternateLeadMonths: number;
  substituteLeadMonths: number;
  redesignLeadMonths: number;
  /** Yearly demand growth of the stress case (0.05 = 5 % a year, compounded continuously). */
  demandStressGrowth: number;
  /** ISO 4217 code of every money figure (the BOM's costs and prices are in it; nothing converts). */
  currency: string;
}

export const DEFAULT_IMPACT_SETTINGS: Readonly<ImpactSettings> = Object.freeze({
  attritionRate: 0.03,
  holdingCostRate: 0.2,
  alternateNre: 41_000,
  substituteNre: 34_000,
  redesignNre: 1_118_000,
  brokerPremium: 3.0,
  alternateLeadMonths: 6,
  substituteLeadMonths: 9,
  redesignLeadMonths: 18,
  demandStressGrowth: 0.05,
  currency: "USD",
});

/** The impact slice of the configuration (src/config.ts), by variable name. */
export interface ImpactConfig {
  ATTRITION_RATE: number;
  HOLDING_COST_RATE: number;
  ALTERNATE_NRE: number;
  SUBSTITUTE_NRE: number;
  REDESIGN_NRE: number;
  BROKER_PREMIUM: number;
  ALTERNATE_LEAD_MONTHS: number;
  SUBSTITUTE_LEAD_MONTHS: number;
  REDESIGN_LEAD_MONTHS: number;
  DEMAND_STRESS_GROWTH: number;
  CURRENCY: string;
}

export function impactSettingsFromConfig(cfg: ImpactConfig): ImpactSettings {
  return {
    attritionRate: cfg.ATTRITION_RATE,
    holdingCostRate: cfg.HOLDING_COST_RATE,
    alternateNre: cfg.ALTERNATE_NRE,
    substituteNre: cfg.SUBSTITUTE_NRE,
    redesignNre: cfg.REDESIGN_NRE,
    brokerPremium: cfg.BROKER_PREMIUM,
    alternateLeadMonths: cfg.ALTERNATE_LEAD_MONTHS,
    substituteLeadMonths: cfg.SUBSTITUTE_LEAD_MONTHS,
    redesignLeadMonths: cfg.REDESIGN_LEAD_MONTHS,
    demandStressGrowth: cfg.DEMAND_STRESS_GROWTH,
    currency: cfg.CURRENCY,
  };
}

/**
 * Where each figure comes from. The NRE means are published (ARINC for DMEA, 2010); attrition,
 * holding cost and broker premium are common industry practice, not a published standard; lead
 * times and the stress growth are notional planning figures. Every output that uses them says so.
 */
export function settingAssumptions(s: ImpactSettings): string[] {
  const pct = (x: number) => `${+(x * 100).toFixed(4)}%`;
  return [
    `attrition ${pct(s.attritionRate)} on demand: common practice, not a published standard`,
    `holding cost ${pct(s.holdingCostRate)} of stock value per year: common practice, not a published standard`,
    `broker price ${s.brokerPremium}x unit cost: common practice, not a published standard; broker stock carries counterfeit risk`,
    `NRE alternate ${s.alternateNre}, substitute ${s.substituteNre}, redesign ${s.redesignNre}: DMSMS resolution-cost means (ARINC for DMEA, 2010)`,
    `lead time to qualify an alternate ${s.alternateLeadMonths}, a substitute ${s.substituteLeadMonths}, a redesign ${s.redesignLeadMonths} months: notional planning figures, not a published standard`,
    `stress case demand growth ${pct(s.demandStressGrowth)} a year: a notional planning figure, not a published standard`,
  ];
}
