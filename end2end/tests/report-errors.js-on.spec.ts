import { test } from "@playwright/test";
import { reportFormShowsDomainError } from "./helpers";

test("the report form shows the domain's error under the field", async ({ page }) => {
  await reportFormShowsDomainError(page, true);
});
