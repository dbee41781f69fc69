// The engine's real answers for generated telemetry in the mortgage example, written by
// fixtures/make-fixtures.sh (the CLI's --json output). Tests take fresh copies.
import flow from "./fixtures/flow.json";
import forecastWhen from "./fixtures/forecast-when.json";
import forecastHowMany from "./fixtures/forecast-how-many.json";
import calibration from "./fixtures/calibration.json";
import preview from "./fixtures/preview.json";
import importReport from "./fixtures/import-report.json";
import type { Calibration, FlowReport, Forecast, ImportReport, Preview } from "../../ipc/client";

export const flowFixture = () => structuredClone(flow) as unknown as FlowReport;
export const forecastWhenFixture = () => structuredClone(forecastWhen) as unknown as Forecast;
export const forecastHowManyFixture = () => structuredClone(forecastHowMany) as unknown as Forecast;
export const calibrationFixture = () => structuredClone(calibration) as unknown as Calibration;
export const previewFixture = () => structuredClone(preview) as unknown as Preview;
export const importReportFixture = () => structuredClone(importReport) as unknown as ImportReport;
