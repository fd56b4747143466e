// Compiles assembly/ into the four binaries the backend chooses from at run time:
//   tessera-simd.wasm                 SIMD, one thread (memory not shared: works without cross-origin isolation)
//   tessera-simd-threads.wasm         SIMD, shared memory for worker threads
//   tessera-relaxed.wasm              SIMD + relaxed SIMD (fused multiply-add in the GEMM micro-kernel)
//   tessera-relaxed-threads.wasm      the same with shared memory
// All import their memory (env.memory), so JS chooses its size limits.
import asc from "assemblyscript/asc";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generateCodes } from "./gen-codes.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
mkdirSync(new URL("../build", import.meta.url), { recursive: true });
generateCodes(new URL("../assembly/generated/", import.meta.url));

const variants = [
  { name: "tessera-simd", relaxed: false, threads: false },
  { name: "tessera-simd-threads", relaxed: false, threads: true },
  { name: "tessera-relaxed", relaxed: true, threads: false },
  { name: "tessera-relaxed-threads", relaxed: true, threads: true },
];

for (const v of variants) {
  const features = ["simd", ...(v.relaxed ? ["relaxed-simd"] : []), ...(v.threads ? ["threads"] : [])];
  const args = [
    "assembly/index.ts",
    "-O3",
    "--noAssert",
    "--runtime", "stub",
    "--importMemory",
    "--use", `RELAXED=${v.relaxed ? 1 : 0}`,
    ...features.flatMap((f) => ["--enable", f]),
    ...(v.threads ? ["--sharedMemory", "--maximumMemory", "65536"] : []),
    "--outFile", `build/${v.name}.wasm`,
  ];
  const { error, stderr } = await asc.main(args, { stdout: process.stdout, stderr: process.stderr, baseDir: root });
  if (error) {
    console.error(`asc failed for ${v.name}: ${error.message}`);
    console.error(stderr.toString());
    process.exit(1);
  }
  console.log(`built build/${v.name}.wasm`);
}
