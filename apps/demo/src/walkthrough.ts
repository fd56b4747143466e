/** Running the walk-through: a header naming the backend, then each section under a title. */
import * as tf from "@tessera/tf";
import type { Log, Section } from "./log.js";

/** Picks the backend (`TESSERA_BACKEND` if set) and prints which one runs. */
export async function header(log: Log): Promise<void> {
  await tf.ready();
  log(`Tessera on backend '${tf.getBackend()}' (registered: ${tf.listBackends().join(", ")})`);
}

/** Runs `sections` in order, each under a header line. */
export async function runSections(sections: readonly Section[], log: Log): Promise<void> {
  for (const s of sections) {
    log(`\n======== ${s.title} ${"=".repeat(Math.max(8, 70 - s.title.length))}\n`);
    await s.run(log);
  }
}
