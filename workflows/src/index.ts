// Workflow code for the worker bundle. Clients import './contract' via '@tandem/workflows/contract'.
export { patientPathway } from './patient-pathway';
export { weeklyDigest } from './weekly-digest';
