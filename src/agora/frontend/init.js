// Start GOV.UK Frontend's components on every page. Loaded as a module, so browsers
// too old for GOV.UK Frontend skip it and keep the pages that work without JavaScript.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
