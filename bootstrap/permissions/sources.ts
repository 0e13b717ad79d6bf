/** How the permission tables name their sources. */
export const SAR = (service: string) => `Service Authorization Reference, ${service}`;
export const TF = (resource: string) => `Terraform AWS provider ${resource} (CRUD calls)`;
