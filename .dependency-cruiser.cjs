/**
 * The layer rule of docs/architecture.md, checked by `npm run check` (and so by CI):
 *
 *   edge (main.ts, cli/, http/) → application → domain → ports & kernel
 *   adapters implement ports and are imported only by the composition root, src/main.ts.
 *
 * Layers, innermost first:
 * - kernel: ports and shared plumbing: store/driver.ts (the SQL port) and store/storable-text.ts
 *   (what text that port can hold: no NUL, no lone surrogate), config.ts, observability/,
 *   resilience/. Imports nothing above it.
 * - domain (pure): extract/, parts/, impact/, mail/. Imports only the domain and libraries; no I/O.
 * - application: pipeline/, cases/, bom/, ingest/, inbox/, notify/, email/, llm/, sources/. Their
 *   repositories and query files reach the store only through the SQL port.
 * - adapters: store drivers and migrations, queue/ backends, the notification HTTP sender and Redis
 *   rate gate, the LLM transport, outbound/ (the guarded GET of URLs taken from requests), the
 *   SiliconExpert session (sources/siliconexpert/se.client.ts).
 * - edge: http/ (every route), cli/ (commands), main.ts (composition root).
 */
const EDGE = "^src/(main\\.ts$|cli/|http/)";
const APPLICATION =
  "^src/(pipeline|cases|bom|ingest|inbox|notify|email|llm|sources|workflow|users|slack|exports|review)/";
const DOMAIN = "^src/(extract|parts|impact|mail)/";
const ADAPTERS =
  "^src/(queue/|outbound/|store/(?!(driver|storable-text)\\.ts$)|notify/(channel\\.send|rate-gate\\.redis)\\.ts$|llm/openai\\.transport\\.ts$|slack/slack\\.api\\.ts$|sources/siliconexpert/se\\.client\\.ts$)";
const KERNEL = "^src/(config\\.ts$|store/(driver|storable-text)\\.ts$|observability/|resilience/)";

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "Modules never import each other in a circle (type-only imports included).",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "no-folder-cycles",
      comment:
        "Areas depend on each other in one direction: no two folders import each other, even indirectly.",
      severity: "error",
      scope: "folder",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "edge-is-outermost",
      comment: "Only the edge imports the edge: http/ is wired by main.ts, main.ts is used by the CLI.",
      severity: "error",
      from: { path: "^src/", pathNot: EDGE },
      to: { path: EDGE },
    },
    {
      name: "http-not-cli",
      comment: "Routes never reach the command line or the composition root.",
      severity: "error",
      from: { path: "^src/http/" },
      to: { path: "^src/(main\\.ts$|cli/)" },
    },
    {
      name: "adapters-only-in-main",
      comment:
        "Adapters (store drivers, queue backends, channel sender, Redis gate, LLM transport, guarded GET, SiliconExpert session) are chosen and wired only by src/main.ts; the rest of the code sees their ports.",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/(main\\.ts$|queue/|store/)" },
      to: { path: ADAPTERS },
    },
    {
      name: "queue-on-pipeline-port",
      comment:
        "Queue backends depend on the pipeline's port (work-queue.port.ts, jobs.ts), never on its insides.",
      severity: "error",
      from: { path: "^src/queue/" },
      to: { path: "^src/pipeline/", pathNot: "^src/pipeline/(work-queue\\.port|jobs)\\.ts$" },
    },
    {
      name: "domain-is-inner",
      comment:
        "The domain (extraction, parts, impact model, the email message) imports no application, adapter or edge module.",
      severity: "error",
      from: { path: DOMAIN },
      to: { path: "^src/", pathNot: DOMAIN },
    },
    {
      name: "domain-does-no-io",
      comment: "The domain is pure: no file system, network or processes (the clock is an argument).",
      severity: "error",
      from: { path: DOMAIN },
      to: {
        dependencyTypes: ["core"],
        path: "^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|dns|tls|worker_threads|cluster)$",
      },
    },
    {
      name: "kernel-is-innermost",
      comment: "Ports and shared plumbing import nothing of the layers above them.",
      severity: "error",
      from: { path: KERNEL },
      to: { path: "^src/", pathNot: KERNEL },
    },
    {
      name: "application-not-to-edge",
      comment: "Application code never imports routes, commands or the composition root.",
      severity: "error",
      from: { path: APPLICATION },
      to: { path: EDGE },
    },
  ],
  options: {
    // TypeScript 7 has no compiler API; swc parses the sources (type-only imports included).
    parser: "swc",
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: "\\.test\\.ts$" },
    includeOnly: "^src/",
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
