-- The time view of a case's latest impact report (DESIGN §6b), denormalised beside its exposure so
-- cases list, sort and filter by severity and decide-by date. Written with the report; cases made
-- before this migration get them at their next re-assessment (their stored reports predate §6b).
alter table cases add column severity text check (severity in ('none', 'low', 'medium', 'high', 'critical'));
alter table cases add column run_out_date date;
alter table cases add column decision_by date;
alter table cases add column coverage_months numeric;

-- Most urgent first: severity rank, then the earliest decide-by date.
create index cases_severity on cases ((case severity when 'critical' then 4 when 'high' then 3
  when 'medium' then 2 when 'low' then 1 else 0 end) desc, decision_by, id);
create index cases_decision_by on cases (decision_by, id);

-- Near misses (DESIGN §6b.7) read the parts whose match key starts with an orderable stem: a
-- pattern index lets that prefix read use the index whatever the database's collation.
create index parts_mpn_norm_prefix on parts (mpn_norm text_pattern_ops);
