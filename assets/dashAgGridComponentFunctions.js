// Cell renderers for dash-ag-grid (served from assets/, no CDN).
var dagcomponentfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

// A source cell: a web address becomes a link opening in a new tab, showing its host; anything
// else (e.g. "seed 001_….txt") is shown as plain text. React escapes the text, so a hostile
// string stays inert.
dagcomponentfuncs.SourceLink = function (props) {
  var value = props.value == null ? "" : String(props.value);
  if (/^https?:\/\/\S+$/.test(value)) {
    var host = value;
    try { host = new URL(value).host; } catch (e) { /* keep the full text */ }
    return React.createElement(
      "a", { href: value, target: "_blank", rel: "noopener noreferrer", title: value }, host
    );
  }
  return React.createElement("span", { title: value }, value);
};
