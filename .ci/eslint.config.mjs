// ESLint for the browser scripts Dash serves from assets/ (`make test`, `make lint`). Run from the
// repository root: `.ci/node_modules/.bin/eslint --config .ci/eslint.config.mjs assets`
// (the packages are pinned in .ci/package.json and .ci/package-lock.json: `npm ci --prefix .ci`).
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["assets/vendor/**"] }, // third-party bundles, kept as shipped
  js.configs.recommended,
  {
    files: ["assets/**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script", // plain <script> files: each wraps itself in a function
      globals: {
        ...globals.browser,
        Plotly: "readonly", // plotly.js, loaded by dash-core-components before the assets
        dash_clientside: "writable", // Dash's clientside-callback namespace
        // dash-ag-grid's namespaces (its documented `var dagfuncs = window.dashAgGrid...` form)
        dashAgGridComponentFunctions: "writable",
        dashAgGridFunctions: "writable",
        React: "readonly",
      },
    },
    rules: {
      "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }],
      eqeqeq: ["error", "smart"],
      "no-var": "off", // the scripts are ES5-style on purpose (var in closures)
    },
  },
];
