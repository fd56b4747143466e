import { describe, expect, it } from "vitest";
import { mayHaveHardwareAdapter } from "../src/hardware-hint.js";

function host(platform: string, dirs: Record<string, string[]>) {
  return {
    platform,
    readdir(path: string): string[] {
      const d = dirs[path];
      if (!d) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
      return d;
    },
  };
}

describe("mayHaveHardwareAdapter", () => {
  it("says no on Linux without render nodes, NVIDIA or WSL device nodes", () => {
    expect(mayHaveHardwareAdapter(host("linux", { "/dev": ["null", "zero", "tty0"] }))).toBe(false);
    expect(mayHaveHardwareAdapter(host("linux", { "/dev": ["nvidiactl"], "/dev/dri": [] }))).toBe(false);
  });
  it("says maybe when a device node exists", () => {
    expect(mayHaveHardwareAdapter(host("linux", { "/dev": [], "/dev/dri": ["by-path", "renderD128"] }))).toBe(true);
    expect(mayHaveHardwareAdapter(host("linux", { "/dev": ["nvidia0", "nvidiactl"] }))).toBe(true);
    expect(mayHaveHardwareAdapter(host("linux", { "/dev": ["dxg"] }))).toBe(true);
  });
  it("always probes on other platforms", () => {
    expect(mayHaveHardwareAdapter(host("darwin", {}))).toBe(true);
    expect(mayHaveHardwareAdapter(host("win32", {}))).toBe(true);
  });
});
