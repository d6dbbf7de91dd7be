/** E.164: '+', a country code not starting with 0, up to 15 digits in all (ITU-T E.164 §6). */
export const E164 = /^\+[1-9]\d{6,14}$/;
