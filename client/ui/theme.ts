/** Font stack with full Vietnamese coverage on Windows, Android/ChromeOS and Debian kiosks. */
export const UI_FONT = '"Segoe UI", Roboto, "Noto Sans", "Liberation Sans", "DejaVu Sans", Arial, sans-serif';
