/**
 * The BOM scan automaton, built once per BOM version and shared (issue 19). The version is whatever
 * the store says changes with every import (the caller's choice: an import counter, a row count and
 * last-change time); the references are loaded only when it changed. Concurrent extractions that
 * need a new version wait for one build, never start two. A failed load is not cached.
 */
import { type BomRef, type BomScanner, buildBomScanner } from "../extract/bom.scan.ts";

export interface BomScannerSource {
  /** A value that changes whenever the BOM parts or alternates change. */
  version(): Promise<string>;
  /** Every part and alternate of the BOM. */
  refs(): Promise<BomRef[]>;
}

export class BomScannerCache {
  private current: { version: string; scanner: Promise<BomScanner> } | null = null;

  constructor(private readonly source: BomScannerSource) {}

  /** The automaton of the BOM as it is now; null when the BOM has no part. */
  async get(): Promise<BomScanner | null> {
    const version = await this.source.version();
    if (this.current?.version !== version) {
      const scanner = this.source.refs().then((refs) => buildBomScanner(refs));
      this.current = { version, scanner };
      scanner.catch(() => {
        if (this.current?.scanner === scanner) this.current = null;
      });
    }
    const scanner = await this.current.scanner;
    return scanner.size > 0 ? scanner : null;
  }
}
