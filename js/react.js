// The JSX typings of <csp-agreement-confirmation> are in react.d.ts; this module has no code.
export {};
