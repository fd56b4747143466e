/* global module */
// pnpm hooks. `beforePacking` shapes the package.json that `pnpm pack` / `pnpm publish` put in a
// tarball: users get what they need to install and import the package, not our build and test set-up.
module.exports = {
  hooks: {
    beforePacking(pkg) {
      delete pkg.devDependencies;
      delete pkg.scripts;
      return pkg;
    },
  },
};
