/**
 * A cheap answer, without loading Dawn, to "could this Node process have a hardware WebGPU adapter?".
 * On Linux every hardware Vulkan driver opens a device node: a DRM render node (`/dev/dri/renderD*`),
 * NVIDIA's `/dev/nvidia*`, or WSL2's `/dev/dxg`. Without any of them only software adapters
 * (lavapipe, SwiftShader) can exist, which the default backend choice never takes, so the
 * 0.3–0.5 s adapter probe (and Dawn's warnings on stderr) can be skipped. Elsewhere (macOS,
 * Windows) the answer is "maybe" and the adapter is probed.
 */

/** What the check reads: the platform and a directory listing (throws when the directory is missing). */
export interface HardwareHintHost {
  readonly platform: string;
  readdir(path: string): string[];
}

/** False only when a hardware adapter is impossible here; true means "probe to find out". */
export function mayHaveHardwareAdapter(host: HardwareHintHost): boolean {
  if (host.platform !== "linux") return true;
  const list = (dir: string): string[] => {
    try {
      return host.readdir(dir);
    } catch {
      return [];
    }
  };
  if (list("/dev/dri").some((n) => n.startsWith("renderD") || n.startsWith("card"))) return true;
  return list("/dev").some((n) => /^nvidia\d+$/.test(n) || n === "dxg");
}

interface NodeProcessLike {
  readonly platform: string;
  readonly versions?: { readonly node?: string };
  getBuiltinModule?(id: string): unknown;
}

/** The hint for this process: in Node on the real file system, `true` everywhere else. */
export function mayHaveHardwareAdapterHere(): boolean {
  const p = (globalThis as { process?: NodeProcessLike }).process;
  if (typeof p?.versions?.node !== "string" || typeof p.getBuiltinModule !== "function") return true;
  const fs = p.getBuiltinModule("node:fs") as { readdirSync(path: string): string[] } | undefined;
  if (!fs) return true;
  return mayHaveHardwareAdapter({ platform: p.platform, readdir: (d) => fs.readdirSync(d) });
}
