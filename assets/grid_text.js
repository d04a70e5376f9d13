// AG Grid's own texts in the page's language (dashGridOptions.getLocaleText calls gridText);
// English is AG Grid's default. Served from assets/, no CDN.
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});
(function () {
  var ZH = {
    page: "页", of: "/", to: "至", more: "更多", next: "下一页", previous: "上一页",
    first: "首页", last: "末页", pageSizeSelectorLabel: "每页行数：",
    ariaPageSizeSelectorLabel: "每页行数", noRowsToShow: "没有可显示的行", loadingOoo: "加载中…",
    loadingError: "加载出错", filterOoo: "筛选…", applyFilter: "应用", resetFilter: "重置",
    clearFilter: "清除", cancelFilter: "取消", equals: "等于", notEqual: "不等于",
    contains: "包含", notContains: "不包含", startsWith: "开头是", endsWith: "结尾是",
    blank: "空白", notBlank: "非空白", greaterThan: "大于", greaterThanOrEqual: "大于或等于",
    lessThan: "小于", lessThanOrEqual: "小于或等于", inRange: "介于", inRangeStart: "从",
    inRangeEnd: "到", andCondition: "且", orCondition: "或", searchOoo: "搜索…",
    selectAll: "全选", selectAllSearchResults: "全选搜索结果", noMatches: "无匹配项",
    sortAscending: "升序", sortDescending: "降序", sortUnSort: "取消排序",
    pinColumn: "固定列", autosizeThisColumn: "自动调整此列", autosizeAllColumns: "自动调整所有列",
    resetColumns: "重置列", columnFilter: "列筛选", ariaFilterInput: "筛选输入",
    ariaFilterValue: "筛选值", ariaFilteringOperator: "筛选条件", ariaColumn: "列",
    ariaRowPageSizeSelectorLabel: "每页行数", ariaSearch: "搜索", ariaMenuColumn: "按 Alt+向下 打开列菜单",
    ariaFilterColumn: "按 Ctrl+Enter 打开筛选", ariaSortableColumn: "按 Enter 排序",
    ariaAscending: "升序", ariaDescending: "降序", ariaNone: "无", ariaRowSelect: "按空格选择此行",
    ariaLabelColumnMenu: "列菜单", ariaLabelColumnFilter: "列筛选", ariaLabelDialog: "对话框",
    ariaLabelRichSelectField: "选择框", ariaLabelSelectField: "选择框", ariaLabelTooltip: "提示",
  };
  function lang() {
    var root = document.getElementById("root");
    return root && root.classList.contains("lang-en") ? "en" : "zh";
  }
  // AG Grid reads these texts when it builds a part and keeps them ("it does not refresh as the
  // locale changes": getLocaleText is an initial option). After a language switch (#root's
  // class) each grid that asked rebuilds its pager: `paginationPanels` set anew (its documented
  // layout option; an array set through the API always applies) destroys and recreates the
  // page size, row and page summaries, which ask gridText again.
  var PANELS = ["pageSize", "rowSummary", "pageSummary"];
  var grids = [];
  var shown = null;
  var watched = null;
  function relabel() {
    var now = lang();
    if (now === shown) return;
    shown = now;
    grids = grids.filter(function (api) { return !api.isDestroyed(); });
    grids.forEach(function (api) {
      var panels = api.getGridOption("paginationPanels") || PANELS;
      if (api.getGridOption("pagination")) api.setGridOption("paginationPanels", panels.slice());
    });
  }
  function watch(api) {
    if (api && grids.indexOf(api) < 0) grids.push(api);
    if (shown === null) shown = lang();
    var root = document.getElementById("root");
    if (!root || root === watched) return;
    watched = root;
    new MutationObserver(relabel).observe(root, { attributes: true, attributeFilter: ["class"] });
  }
  dagfuncs.gridText = function (params) {
    watch(params.api);
    if (lang() === "zh" && Object.prototype.hasOwnProperty.call(ZH, params.key)) {
      return ZH[params.key];
    }
    return params.defaultValue;
  };
})();
