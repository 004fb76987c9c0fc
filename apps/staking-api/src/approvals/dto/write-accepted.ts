import { applyDecorators, type Type } from '@nestjs/common';
import { ApiAcceptedResponse, ApiExtraModels, getSchemaPath } from '@nestjs/swagger';
import { ApprovalPendingDto } from './approval.dto.js';

const PENDING =
  'or, over an approval_workflows threshold (or flagged by compliance), an ApprovalPendingDto: status pending_approval, the approval id, approvers needed, expiry and the simulated effect; nothing is built until approvers agree (POST /api/v1/approvals/{id}/approve).';

/**
 * The 202 of a write the approval gate can stop: either the area's own answer (a transaction
 * to sign, a node to wait for) or the approval the write waits for.
 */
export function ApiWriteAccepted(area: Type<unknown>, areaDescription: string) {
  return applyDecorators(
    ApiExtraModels(area, ApprovalPendingDto),
    ApiAcceptedResponse({
      description: `${areaDescription} ${PENDING}`,
      schema: {
        anyOf: [{ $ref: getSchemaPath(area) }, { $ref: getSchemaPath(ApprovalPendingDto) }],
      },
    }),
  );
}
