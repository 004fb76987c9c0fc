/** The UTC calendar day of a moment, `YYYY-MM-DD`: the bucket key of day-filed records. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);
