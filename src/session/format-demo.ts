export const   badlyFormatted = {a:1}
