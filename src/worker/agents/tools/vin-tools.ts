import type { defineTool } from './define-tool.js';

// capture_vin and confirm_vin land with the spoken-VIN capture of the vehicle-lookup module.
export const vinTools: ReturnType<typeof defineTool>[] = [];
