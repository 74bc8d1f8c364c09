// The use cases, each written once; every front door (CLI, Action, App) calls these and
// nothing else of the domain. Trust, approvals and the order of steps are decided here.
export { planFlow, planTrees, verdictOf, GATE_CONFIG_FILE, type PlanRequest, type PlannedChange, type ReviewablePlan, type TreePlanRequest, type PlanSide } from './plan.js'
export { reviewFlow, reviewViewOf, worthSaying, COMMENT_POLICIES, type CommentPolicy, type ReviewRequest, type ReviewResult } from './review.js'
export { postMergeFlow, deploymentState, deploymentDescription, type PostMergeRequest, type PostMergeOutcome } from './post-merge.js'
export { imagesFlow, DEFAULT_IDENTITY, type ImagesRequest, type ImagePrOutcome, type ImagePrAction } from './images.js'
export { attachLive } from './live.js'
export { pickFleetCluster } from './pick-cluster.js'
export { decideTrust, capabilitiesOf, chartPolicy, type ChangeOrigin, type Trust, type Capabilities, type ChartPolicy } from './trust.js'
export { parseApproveCommand, commandRefusal, collectApprovals, acknowledgeApproval, Approvers, WRITERS, type ApproveCommand, type ApproveAck, type LiveApproval } from './approvals.js'
export { parseChatCommand, answerChatCommand, chatHelp, type ChatCommand, type CommandOutcome, type CommandComment } from './commands.js'
export { RequestError } from './errors.js'
export { renderFlow, type RenderRequest, type RenderedRepository, type ShownObject, type ShownOwner } from './render.js'
