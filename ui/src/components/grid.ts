import { AllCommunityModule, ModuleRegistry, themeQuartz } from "ag-grid-community";

ModuleRegistry.registerModules([AllCommunityModule]);

/** The AG Grid look shared by every grid: the app's font, dense rows, its accent. */
export const gridTheme = themeQuartz.withParams({
  fontFamily: "inherit",
  fontSize: 13,
  headerFontSize: 12,
  spacing: 5,
  rowHeight: 30,
  headerHeight: 34,
  accentColor: "#2f6db5",
  borderColor: "#dde2e8",
  headerBackgroundColor: "#f4f6f8",
  oddRowBackgroundColor: "#fafbfc",
});
