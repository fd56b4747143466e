#!/usr/bin/env node
// `pnpm release:check`: packs every publishable package as `pnpm publish` would (workspace ranges
// rewritten, .pnpmfile.cjs's beforePacking applied) and checks each tarball:
//   - publint (strict: warnings count) on the tarball's own file list,
//   - @arethetypeswrong/cli with the "esm-only" profile (the packages are ESM; Node >= 20.19 can
//     require() them, which the consumer test checks), which resolves the types as node16 ESM and bundler,
//   - our own rules: LICENSE, README, metadata fields, no devDependencies/scripts, no sources, maps or tests.
// Prints one line per package and a closing "N passed, M failed"; exits 1 on any problem.
// Usage: node scripts/release-check.mjs [--keep <dir>]  (keeps the tarballs in <dir>, e.g. for the consumer test)
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { publint } from "publint";
import { formatMessage } from "publint/utils";

const root = resolve(import.meta.dirname, "..");
const keepAt = process.argv.indexOf("--keep");
const outDir = keepAt > 0 ? resolve(process.argv[keepAt + 1]) : mkdtempSync(join(tmpdir(), "tessera-release-"));
mkdirSync(outDir, { recursive: true });

/** The workspace packages that get published (not private), in packages/. */
export function publishable() {
  return readdirSync(join(root, "packages"))
    .map((d) => join(root, "packages", d))
    .filter((d) => existsSync(join(d, "package.json")))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
    .filter(({ pkg }) => pkg.private !== true);
}

const REQUIRED = ["name", "version", "description", "license", "repository", "homepage", "bugs", "keywords", "engines", "exports", "files", "type"];

function listTarball(tgz) {
  return execFileSync("tar", ["tzf", tgz], { encoding: "utf8" }).split("\n").filter(Boolean);
}

function readFromTarball(tgz, file) {
  return execFileSync("tar", ["xzf", tgz, "-O", file], { encoding: "utf8" });
}

let passed = 0;
let failed = 0;
for (const { dir, pkg } of publishable()) {
  const problems = [];
  const before = new Set(readdirSync(outDir));
  execFileSync("pnpm", ["pack", "--pack-destination", outDir], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
  const made = readdirSync(outDir).filter((f) => f.endsWith(".tgz") && !before.has(f));
  const tgzName = made[0] ?? readdirSync(outDir).find((f) => f.startsWith(pkg.name.replace("@", "").replace("/", "-") + "-"));
  if (!tgzName) {
    console.log(`${pkg.name}: pnpm pack made no tarball`);
    failed++;
    continue;
  }
  const tgz = join(outDir, tgzName);

  // Our own rules on the packed manifest and file list.
  const files = listTarball(tgz);
  const manifest = JSON.parse(readFromTarball(tgz, "package/package.json"));
  for (const f of REQUIRED) if (manifest[f] === undefined) problems.push(`package.json lacks "${f}"`);
  if (manifest.license !== "Apache-2.0") problems.push(`license is ${manifest.license}, not Apache-2.0`);
  for (const f of ["devDependencies", "scripts"]) if (manifest[f]) problems.push(`the published package.json has "${f}"`);
  for (const [name, range] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies })) {
    if (String(range).startsWith("workspace:")) problems.push(`dependency ${name} still has a workspace: range`);
  }
  if (!files.includes("package/LICENSE")) problems.push("no LICENSE in the tarball");
  if (!files.includes("package/README.md")) problems.push("no README.md in the tarball");
  for (const f of files) {
    const rel = f.slice("package/".length);
    const allowed = rel === "package.json" || rel === "LICENSE" || rel === "README.md" || rel === "CHANGELOG.md"
      || /^dist\/.+\.(js|d\.ts)$/.test(rel) || /^build\/[^/]+\.wasm$/.test(rel);
    if (!allowed) problems.push(`ships ${rel}`);
  }

  // publint on the tarball.
  const data = readFileSync(tgz);
  const lint = await publint({ pkgDir: "package", pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) }, strict: true });
  for (const m of lint.messages) problems.push(`publint ${m.type}: ${formatMessage(m, lint.pkg, { color: false }) ?? m.code}`);

  // Are the types wrong?
  try {
    execFileSync(join(root, "node_modules", ".bin", "attw"), [tgz, "--profile", "esm-only", "--format", "ascii", "--no-color", "--no-emoji"], { encoding: "utf8", stdio: "pipe" });
  } catch (err) {
    const out = `${err.stdout ?? ""}${err.stderr ?? ""}`.trim();
    problems.push(`attw: ${out || err.message}`);
  }

  if (problems.length === 0) {
    passed++;
    console.log(`ok ${pkg.name} (${files.length} files)`);
  } else {
    failed++;
    console.log(`FAIL ${pkg.name}:\n  - ${problems.join("\n  - ")}`);
  }
}
if (keepAt < 0) rmSync(outDir, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
